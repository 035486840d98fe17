import assert from 'node:assert/strict';
import { parseAccessFile } from '../../../src/core/access';
import { compilePolicy } from '../../../src/core/policy/compiledPolicy';
import type { Actor } from '../../../src/core/policy/decision';
import { approvalStatus } from '../../../src/core/review';

const ACCESS = `version: 1
roles:
  reviewer:  { extends: viewer, allow: [review.approve] }
  publisher: { extends: editor, allow: [review.approve, prompt.publish] }
workspaces:
  support:
    paths: ["prompts/support/**"]
    members: { alice: editor, bob: reviewer, carol: publisher, dan: viewer }
    environments:
      prod:
        edit: [publisher]
        approvals: { required: 2, from: [reviewer, publisher], selfApproval: false }
      dev:
        approvals: { required: 1, from: [editor], selfApproval: true }
`;
const policy = parseAccessFile(ACCESS).policy!;
const compiled = compilePolicy(policy);
const users: Record<string, Actor> = {
  alice: { username: 'alice', role: 'editor' },
  bob: { username: 'bob', role: 'viewer' },
  carol: { username: 'carol', role: 'editor' },
  dan: { username: 'dan', role: 'viewer' },
  root: { username: 'root', role: 'admin' },
};

/** Approvals as the server would assemble them: each user's current decision, or none when removed. */
function status(env: string, author: string, approvers: string[]) {
  const resource = { kind: 'prompt' as const, path: 'prompts/support/a.prompt', env, author };
  const approvals = approvers.map((username) => ({
    username,
    decision: users[username] ? compiled.decide(users[username], 'review.approve', resource) : undefined,
  }));
  return approvalStatus(compiled.approvalRule('support', env), author, approvals);
}

describe('approval status', () => {
  it('is met when enough distinct permitted users approve', () => {
    assert.deepEqual(status('prod', 'alice', ['bob', 'carol']), {
      met: true,
      required: 2,
      counted: ['bob', 'carol'],
      ignored: [],
    });
  });

  it('does not count a self-approval where the rule forbids it, and says why', () => {
    const s = status('prod', 'carol', ['carol', 'bob']);
    assert.equal(s.met, false);
    assert.deepEqual(s.counted, ['bob']);
    assert.deepEqual(s.ignored, [
      {
        username: 'carol',
        reason:
          'You wrote this change, and the approval rule for prod prompts in `support` does not allow approving your own change.',
      },
    ]);
  });

  it('refuses self-approval even for admins, and even if the caller forgot to pass the author to decide', () => {
    const rule = compiled.approvalRule('support', 'prod');
    const withoutAuthor = compiled.decide(users.root, 'review.approve', {
      kind: 'prompt',
      path: 'prompts/support/a.prompt',
      env: 'prod',
    });
    assert.equal(withoutAuthor.allowed, true);
    const s = approvalStatus(rule, 'root', [{ username: 'root', decision: withoutAuthor }]);
    assert.deepEqual(s.counted, []);
    assert.match(s.ignored[0].reason, /approving your own change/);
  });

  it('allows self-approval where the rule says so', () => {
    assert.deepEqual(status('dev', 'alice', ['alice']).counted, ['alice']);
  });

  it("ignores users without the right role, with the decision's sentence", () => {
    const s = status('prod', 'alice', ['dan', 'bob']);
    assert.equal(s.met, false);
    assert.deepEqual(s.ignored, [
      {
        username: 'dan',
        reason:
          'Approving changes to prod prompts in `support` needs one of the roles `reviewer`, `publisher`, `admin`; you are `viewer` in `support`.',
      },
    ]);
  });

  it('counts each person once, whatever the case of their name', () => {
    const s = status('prod', 'alice', ['bob', 'bob']);
    assert.deepEqual(s.counted, ['bob']);
    assert.equal(s.ignored[0].username, 'bob');
    assert.equal(s.met, false);
  });

  it('ignores an approval from a user removed since', () => {
    const s = status('prod', 'alice', ['bob', 'eve']);
    assert.deepEqual(s.counted, ['bob']);
    assert.deepEqual(s.ignored, [
      { username: 'eve', reason: 'eve is no longer a user, so their approval does not count.' },
    ]);
  });

  it('falls back to the default rule for a workspace the policy does not name', () => {
    assert.deepEqual(compiled.approvalRule('nowhere', 'dev'), { required: 1, from: ['editor'], selfApproval: false });
  });
});
