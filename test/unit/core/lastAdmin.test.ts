import assert from 'node:assert/strict';
import { keepsAnAdmin } from '../../../src/core/users/lastAdmin';

describe('the last-admin rule', () => {
  it('refuses to demote or remove the only admin', () => {
    assert.equal(keepsAnAdmin({ role: 'admin', nextRole: 'editor', admins: 1 }), false);
    assert.equal(keepsAnAdmin({ role: 'admin', nextRole: undefined, admins: 1 }), false);
  });

  it('allows it when another admin stays, and any change that keeps the admin an admin', () => {
    assert.equal(keepsAnAdmin({ role: 'admin', nextRole: 'viewer', admins: 2 }), true);
    assert.equal(keepsAnAdmin({ role: 'admin', nextRole: undefined, admins: 2 }), true);
    assert.equal(keepsAnAdmin({ role: 'admin', nextRole: 'admin', admins: 1 }), true);
  });

  it('never stands in the way of changing or removing a non-admin', () => {
    assert.equal(keepsAnAdmin({ role: 'editor', nextRole: 'viewer', admins: 1 }), true);
    assert.equal(keepsAnAdmin({ role: 'viewer', nextRole: undefined, admins: 0 }), true);
  });
});
