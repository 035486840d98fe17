import assert from 'node:assert/strict';
import { parseAccessFile } from '../../../src/core/access/parseAccessFile';
import { compilePolicy } from '../../../src/core/policy/compiledPolicy';
import { effectiveRole } from '../../../src/core/policy/effectiveRole';
import { permissionsOf } from '../../../src/core/policy/rolePermissions';

describe('effectiveRole: the one role that decides in a workspace', () => {
  const ws = { members: { rita: 'reviewer' } };

  it('an org admin is admin everywhere, a binding replaces the org role, no binding keeps it', () => {
    assert.deepEqual(effectiveRole(ws, { username: 'rita', role: 'admin' }), { role: 'admin', source: 'org' });
    assert.deepEqual(effectiveRole(ws, { username: 'rita', role: 'viewer' }), { role: 'reviewer', source: 'member' });
    assert.deepEqual(effectiveRole(ws, { username: 'eve', role: 'editor' }), { role: 'editor', source: 'org' });
  });

  it("a username that names one of Object.prototype's properties is not bound by it", () => {
    for (const username of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      assert.deepEqual(effectiveRole(ws, { username, role: 'viewer' }), { role: 'viewer', source: 'org' }, username);
  });

  it('the compiled evaluator decides with it: a viewer called `constructor` may not edit', () => {
    const parsed = parseAccessFile(
      [
        'version: 1',
        'environments: [dev]',
        'workspaces:',
        '  team:',
        '    paths: ["prompts/**"]',
        '    members: { rita: editor }',
      ].join('\n'),
    );
    assert.ok(parsed.policy, JSON.stringify(parsed.diagnostics));
    const compiled = compilePolicy(parsed.policy);
    const resource = { kind: 'prompt', path: 'prompts/a.prompt', env: 'dev' } as const;
    assert.equal(compiled.decide({ username: 'constructor', role: 'viewer' }, 'prompt.edit', resource).allowed, false);
    assert.equal(compiled.decide({ username: 'rita', role: 'viewer' }, 'prompt.edit', resource).allowed, true);
  });
});

describe("permissionsOf: a role's actions along its extends chain", () => {
  it('adds allow and removes deny nearest the base first, and never loops on a cycle', () => {
    const roles = {
      lead: { extends: 'reviewer', allow: ['prompt.publish'], deny: ['review.approve'] },
      reviewer: { extends: 'viewer', allow: ['review.approve'], deny: [] },
      a: { extends: 'b', allow: ['prompt.run'], deny: [] },
      b: { extends: 'a', allow: ['prompt.edit'], deny: [] },
    } as never;
    const lead = permissionsOf({ roles }, 'lead');
    assert.ok(lead.has('prompt.publish') && lead.has('prompt.read') && !lead.has('review.approve'));
    assert.deepEqual([...permissionsOf({ roles }, 'a')].sort(), ['prompt.edit', 'prompt.run']);
    assert.deepEqual([...permissionsOf({ roles }, 'nobody')], []);
  });
});
