import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicyRecord } from '../../../src/core/release/policyLock';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { ServedTeam } from '../../support/cliAgainstServer';
import { promptText } from '../../support/reviewFixtures';
import { git } from '../../support/bareRemote';

const ACCESS = '.promptops/access.yaml';
const POLICY_LOCK = '.promptops/policy.lock';
const FIRST = `version: 1
workspaces:
  support: { paths: ["prompts/support/**"] }
policyApprovals: { required: 1 }
`;

/**
 * Policy under review, end to end: a real server process, a bare remote, the built CLI.
 * alice and ada are admins, ed an editor. The access file asks for one approval of policy
 * changes, so alice's direct change is refused by the server and by `verify --base` in a
 * CI clone, until ada approves the review and alice applies it and commits the signed
 * record; an older record committed again fails verify.
 */
describe('CLI against a real server: policy changes reviewed, applied from a pushed commit, verified', function () {
  this.timeout(300_000);
  let served: ServedTeam;
  let seed: string;
  let edClone: string;
  let people: ServedTeam['people'];
  /** Commits as alice without her pre-commit hook (as `git commit --no-verify` would) and pushes. */
  const commitAndPush = (files: Record<string, string>, message: string): string => {
    for (const [path, text] of Object.entries(files)) writeFileSync(join(seed, path), text);
    git(seed, 'add', '-A');
    git(seed, 'commit', '-qm', message, '--no-verify');
    git(seed, 'push', '-q', 'origin', 'main');
    return git(seed, 'rev-parse', 'HEAD').trim();
  };
  let ciCount = 0;
  const ciVerify = (base: string) => {
    const name = `ci-${++ciCount}`;
    return served.person(name, served.remote!.clone(name)).run(['verify', '--base', base]);
  };

  before(async () => {
    served = await ServedTeam.start({ prefix: 'promptops-policy-review-', remote: true, seedClone: 'alice' });
    ({ seed, people } = served);
    edClone = served.remote!.clone('ed');
    for (const [name, role, cwd] of [
      ['alice', 'admin', seed],
      ['ada', 'admin', served.remote!.clone('ada-empty')],
      ['ed', 'editor', edClone],
    ] as const)
      served.addPerson(name, role, { cwd, email: `${name}@example.com` });
    mkdirSync(join(seed, '.promptops'), { recursive: true });
    mkdirSync(join(seed, 'prompts/support'), { recursive: true });
    writeFileSync(join(seed, ACCESS), FIRST);
    writeFileSync(join(seed, 'prompts/support/triage.prompt'), promptText('You triage tickets.', { env: 'dev' }));
    people.alice.ok(['init']);
    commitAndPush({}, 'PromptOps: access file, user directory, attributes');
  });

  after(() => served?.stop());

  it('the first apply (no policy review in force yet) takes the pushed file and writes the signed record', () => {
    const out = people.alice.ok(['apply']);
    assert.match(out, /Applied \.promptops\/access\.yaml from commit [0-9a-f]{7} \(origin\/main\) as version 1/);
    const record = parsePolicyRecord(readFileSync(join(seed, POLICY_LOCK), 'utf8')).record!;
    assert.equal(record.commit, git(seed, 'rev-parse', 'HEAD').trim());
    assert.equal(record.appliedBy, 'alice');
    commitAndPush({}, 'the signed policy record');
  });

  it('an editor cannot apply, even the same file', () => {
    git(edClone, 'pull', '-q', '--ff-only');
    const r = people.ed.run(['apply']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /admin/);
  });

  let beforeChange: string;

  it("an admin's direct change is refused by the server and by verify --base in CI, naming the access file", () => {
    beforeChange = git(seed, 'rev-parse', 'HEAD').trim();
    // The pinned server and key stay; one rule is added.
    const second = `${readFileSync(join(seed, ACCESS), 'utf8')}protected: ["prompts/shared/**"]\n`;
    commitAndPush({ [ACCESS]: second }, 'protect shared prompts (no review)');
    const apply = people.alice.run(['apply']);
    assert.equal(apply.status, 1, apply.stderr);
    assert.match(
      apply.stderr,
      /asks for 1 approval of policy changes, and no open review of \.promptops\/access\.yaml/,
    );
    const ci = ciVerify(beforeChange);
    assert.equal(ci.status, 1, ci.stdout + ci.stderr);
    assert.match(
      ci.stdout,
      /^\.promptops\/access\.yaml: changed in this range to content \(sha256 [0-9a-f]{12}…\) that the server did not apply/m,
    );
  });

  it('reviewed: self-approval refused, another admin approves, apply succeeds, the record names her; CI passes', () => {
    const review = people.alice.json<ReviewDto>(['review', 'request', ACCESS, '-m', 'protect shared prompts']);
    assert.deepEqual([review.path, review.approval.rule.required], [ACCESS, 1]);
    const self = people.alice.run(['review', 'approve', review.id, '--head', review.headHash]);
    assert.equal(self.status, 1, self.stderr);
    assert.match(self.stderr, /other users who may apply/);
    const byEditor = people.ed.run(['review', 'approve', review.id, '--head', review.headHash]);
    assert.equal(byEditor.status, 1, byEditor.stderr);
    people.ada.ok(['review', 'approve', review.id, '--head', review.headHash]);
    const out = people.alice.ok(['apply']);
    assert.match(out, /as version 2/);
    const record = parsePolicyRecord(readFileSync(join(seed, POLICY_LOCK), 'utf8')).record!;
    assert.deepEqual([record.serial, record.approvals], [2, ['ada']]);
    commitAndPush({}, 'the signed policy record, version 2');
    const ci = ciVerify(beforeChange);
    assert.equal(ci.stdout, '');
    assert.equal(ci.status, 0, ci.stderr);
  });

  it('an older record committed again with the older file (a rollback without review) fails verify on its serial', () => {
    const base = git(seed, 'rev-parse', 'HEAD').trim();
    commitAndPush(
      {
        [ACCESS]: git(seed, 'show', `${beforeChange}:${ACCESS}`),
        [POLICY_LOCK]: git(seed, 'show', `${beforeChange}:${POLICY_LOCK}`),
      },
      'back to version 1',
    );
    const ci = ciVerify(base);
    assert.equal(ci.status, 1);
    assert.match(ci.stdout, /^\.promptops\/policy\.lock: serial 1 is not newer than the base's 2/m);
    assert.match(ci.stdout, /^\.promptops\/access\.yaml: /m);
  });
});
