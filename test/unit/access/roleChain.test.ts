import assert from 'node:assert/strict';
import { findRoleCycles, parseAccessFile, roleAncestors, roleExtends } from '../../../src/core/access';
import { VALID_EXAMPLES } from './examples';

describe('roleChain', () => {
  const { policy } = parseAccessFile(VALID_EXAMPLES.chainedRoles);
  assert.ok(policy);

  it('walks from a role up to its built-in base', () => {
    assert.deepEqual(roleAncestors(policy, 'lead'), ['lead', 'senior', 'editor']);
    assert.deepEqual(roleAncestors(policy, 'editor'), ['editor']);
    assert.deepEqual(roleAncestors(policy, 'auditor'), ['auditor', 'admin']);
  });

  it('stops at unknown roles and inherited object keys', () => {
    assert.deepEqual(roleAncestors(policy, 'nobody'), ['nobody']);
    assert.deepEqual(roleAncestors({ roles: {} }, 'constructor'), ['constructor']);
  });

  it('never loops on a cyclic graph', () => {
    const roles = {
      a: { name: 'a', extends: 'b', allow: [], deny: [] },
      b: { name: 'b', extends: 'a', allow: [], deny: [] },
    };
    assert.deepEqual(roleAncestors({ roles }, 'a'), ['a', 'b']);
  });

  it('says whether a role extends another', () => {
    assert.equal(roleExtends(policy, 'lead', 'editor'), true);
    assert.equal(roleExtends(policy, 'lead', 'lead'), true);
    assert.equal(roleExtends(policy, 'senior', 'lead'), false);
  });

  it('finds each cycle once, starting at the role declared first', () => {
    const parents = new Map([
      ['x', 'c'],
      ['b', 'a'],
      ['a', 'c'],
      ['c', 'b'],
      ['self', 'self'],
      ['d', 'x'],
    ]);
    assert.deepEqual(findRoleCycles(parents), [['b', 'a', 'c'], ['self']]);
    assert.deepEqual(findRoleCycles(new Map([['a', 'b']])), []);
  });
});
