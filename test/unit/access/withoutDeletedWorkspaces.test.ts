import assert from 'node:assert/strict';
import { parseAccessFile } from '../../../src/core/access';
import { declaredDeletedWorkspaces, withoutDeletedWorkspaces } from '../../../src/core/access/withoutDeletedWorkspaces';
import { compilePolicy } from '../../../src/core/policy/compiledPolicy';

const FILE = `version: 1
workspaces:
  support:
    paths: ["prompts/support/**"]
    members: { alice: editor }
  marketing:
    paths: ["prompts/marketing/**"]
    members: { alice: viewer }
`;

function policy() {
  const parsed = parseAccessFile(FILE);
  assert.ok(parsed.policy, JSON.stringify(parsed.diagnostics));
  return parsed.policy;
}

describe('deleted workspaces are absent from the policy the server decides with', () => {
  it('a deleted workspace grants nothing, and its prompts fall to default', () => {
    const alice = { username: 'alice', role: 'viewer' as const };
    const prompt = { kind: 'prompt' as const, path: 'prompts/support/refund.prompt', env: 'dev' };
    assert.equal(compilePolicy(policy()).decide(alice, 'prompt.edit', prompt).allowed, true);
    const decision = compilePolicy(withoutDeletedWorkspaces(policy(), ['Support'])).decide(
      alice,
      'prompt.edit',
      prompt,
    );
    assert.equal(decision.allowed, false, 'the binding in the deleted workspace no longer applies');
    assert.equal(decision.workspace, 'default');
  });

  it('other workspaces and `default` stay; nothing deleted leaves the policy as it is', () => {
    const p = policy();
    assert.equal(withoutDeletedWorkspaces(p, []), p);
    assert.deepEqual(
      withoutDeletedWorkspaces(p, ['support', 'default']).workspaces.map((w) => w.name),
      ['marketing', 'default'],
    );
  });

  it('names the declared workspaces that were deleted, in file order', () => {
    assert.deepEqual(declaredDeletedWorkspaces(policy(), ['marketing', 'gone', 'SUPPORT']), ['support', 'marketing']);
  });
});
