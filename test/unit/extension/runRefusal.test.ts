import assert from 'node:assert/strict';
import { parseAccessFile } from '../../../src/core/access';
import type { Action } from '../../../src/core/policy/actions';
import { compilePolicy } from '../../../src/core/policy/compiledPolicy';
import type { Actor } from '../../../src/core/policy/decision';
import { runRefusal } from '../../../src/extension/run/runRefusal';

/** `reader` may look at support prompts but not run them; vic holds it there. */
const ACCESS = `version: 1
roles:
  reader: { extends: viewer, deny: [prompt.run] }
workspaces:
  support:
    paths: ["prompts/support/**"]
    members: { vic: reader }
`;

describe('who may Run and Evaluate a prompt in VS Code (the commands and their CodeLens)', () => {
  const { policy } = parseAccessFile(ACCESS);
  assert.ok(policy);
  const compiled = compilePolicy(policy);
  const as = (actor: Actor | undefined) => ({
    decide: (action: Action, path: string) =>
      actor ? compiled.decide(actor, action, { kind: 'prompt', path }) : undefined,
  });
  const SUPPORT = 'prompts/support/greeting.prompt';

  for (const role of ['viewer', 'editor', 'admin'] as const)
    it(`a ${role} may`, () => {
      assert.equal(runRefusal(as({ username: 'pat', role }), SUPPORT), undefined);
    });

  it('a member whose workspace role denies prompt.run may not, and is told the rule', () => {
    const refusal = runRefusal(as({ username: 'vic', role: 'viewer' }), SUPPORT);
    assert.equal(
      refusal,
      'Running dev prompts in `support` needs one of the roles `viewer`, `editor`, `admin`; you are `reader` in `support`. (role-permission)',
    );
    // Outside that workspace the org role decides.
    assert.equal(runRefusal(as({ username: 'vic', role: 'viewer' }), 'prompts/other/x.prompt'), undefined);
  });

  it('signed out: nobody may, and is told to sign in', () => {
    assert.equal(runRefusal(as(undefined), SUPPORT), 'sign in to run prompts.');
  });

  it('a file outside the repository is not a prompt to run', () => {
    assert.equal(
      runRefusal(as({ username: 'pat', role: 'admin' }), undefined),
      'open a prompt file of this repository to run it.',
    );
  });
});
