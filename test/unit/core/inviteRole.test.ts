import assert from 'node:assert/strict';
import { inviteRoleRefusal } from '../../../src/core/users/inviteRole';

describe('inviteRoleRefusal', () => {
  it('lets an inviter give their own role or less, never more, and says why', () => {
    assert.equal(inviteRoleRefusal('admin', 'admin'), undefined);
    assert.equal(inviteRoleRefusal('editor', 'editor'), undefined);
    assert.equal(inviteRoleRefusal('editor', 'viewer'), undefined);
    assert.equal(
      inviteRoleRefusal('editor', 'admin'),
      'An invite cannot give a role above your own: you are editor, the invite asks for admin.',
    );
    assert.match(inviteRoleRefusal('viewer', 'editor') ?? '', /you are viewer, the invite asks for editor/);
  });
});
