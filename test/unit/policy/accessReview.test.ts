import assert from 'node:assert/strict';
import { parseAccessFile } from '../../../src/core/access';
import { accessReview, type ReviewedUser } from '../../../src/core/policy/accessReview';
import type { Action } from '../../../src/core/policy/actions';
import { compilePolicy } from '../../../src/core/policy/compiledPolicy';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-06-01T00:00:00Z');

const ACCESS = `version: 1
environments: [dev, prod]
roles:
  lead: { extends: editor, allow: [user.invite] }
workspaces:
  support:
    paths: ["prompts/support/**"]
    members: { vic: editor, ann: viewer, ghost: viewer }
  default:
    members: { lee: lead }
`;

const user = (username: string, extra: Partial<ReviewedUser> = {}): ReviewedUser => ({
  username,
  role: 'viewer',
  emails: [`${username}@example.com`],
  signingKeys: 1,
  serviceAccount: false,
  lastSignInAt: NOW - DAY,
  apiKeys: [],
  ...extra,
});

describe('access review (core)', () => {
  const { policy } = parseAccessFile(ACCESS);
  assert.ok(policy);
  const users = [
    user('vic'),
    user('ann', { role: 'admin' }),
    user('lee', { role: 'editor', lastSignInAt: NOW - 100 * DAY, emails: [] }),
    user('bot', { role: 'editor', serviceAccount: true, lastSignInAt: null, signingKeys: 0, emails: [] }),
  ];

  it('gives each user the role decide() uses in each workspace and env', () => {
    const review = accessReview(policy, users, NOW);
    const compiled = compilePolicy(policy);
    for (const row of review.rows) {
      const d = compiled.decide(
        { username: row.username, role: row.orgRole },
        'prompt.read',
        row.workspace === 'support'
          ? { kind: 'prompt', path: 'prompts/support/a.prompt', env: row.env }
          : { kind: 'prompt', path: 'prompts/x.prompt', env: row.env },
      );
      assert.equal(row.role, d.role, `${row.username} in ${row.workspace}/${row.env}`);
    }
    const roles = (u: string) =>
      review.rows.filter((r) => r.username === u).map((r) => `${r.workspace}/${r.env}=${r.role}`);
    assert.deepEqual(roles('vic'), [
      'support/dev=editor',
      'support/prod=editor',
      'default/dev=viewer',
      'default/prod=viewer',
    ]);
    assert.deepEqual(roles('ann'), [
      'support/dev=admin',
      'support/prod=admin',
      'default/dev=admin',
      'default/prod=admin',
    ]);
    assert.deepEqual(roles('lee'), [
      'support/dev=editor',
      'support/prod=editor',
      'default/dev=lead',
      'default/prod=lead',
    ]);
  });

  it('flags what to act on, each with what to do', () => {
    const review = accessReview(policy, users, NOW, 90);
    const kinds = review.flags.map((f) => `${f.username} ${f.kind}`);
    assert.deepEqual(kinds, ['lee no-sign-in', 'lee no-git-email', 'bot no-signing-key', 'ghost not-on-server']);
    assert.match(review.flags[0].message, /not signed in for 100 days/);
    assert.equal(accessReview(policy, users, NOW, 120).flags.filter((f) => f.kind === 'no-sign-in').length, 0);
  });

  it('flags tracked rights unused in the window, only when use is known', () => {
    const tracked = new Set<Action>(['prompt.publish', 'review.approve', 'user.invite', 'policy.apply']);
    const withUse = users.map((u) =>
      u.username === 'lee' ? { ...u, used: new Set<Action>(['review.approve']) } : { ...u, used: new Set<Action>() },
    );
    const review = accessReview(policy, withUse, NOW, 90, tracked);
    const unused = Object.fromEntries(
      review.flags.filter((f) => f.kind === 'unused-right').map((f) => [f.username, f.message]),
    );
    assert.match(unused.lee, /has not used prompt\.publish, user\.invite in 90 days/);
    assert.match(unused.ann, /prompt\.publish, review\.approve, policy\.apply, user\.invite/);
    assert.equal(unused.vic !== undefined, true, 'vic is an editor in support');
    const unknown = accessReview(policy, users, NOW, 90, tracked);
    assert.equal(unknown.flags.filter((f) => f.kind === 'unused-right').length, 0);
  });
});
