import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
const BRANCH = 'policy/protect-shared';

/**
 * The documented policy flow with the pre-receive hook on the bare remote: branch → push →
 * review → apply --commit → commit the lock → merge. The review branch is accepted while its
 * change waits for the server; the release branch never takes an access file the server
 * did not sign, whether pushed directly (a `--no-verify` commit) or merged too early.
 */
describe('pre-receive hook and policy review: a review branch carries the change, the release branch only takes it signed', function () {
  this.timeout(300_000);
  let served: ServedTeam;
  let remote: string;
  let alice: string;
  let people: ServedTeam['people'];
  const push = (...args: string[]) => spawnSync('git', ['push', 'origin', ...args], { cwd: alice, encoding: 'utf8' });
  const remoteTip = (ref: string) => git(remote, 'rev-parse', ref).trim();
  /** As `git commit --no-verify`: alice's own pre-commit hook is skipped; only the server's can refuse. */
  const commit = (files: Record<string, string>, message: string): string => {
    for (const [path, text] of Object.entries(files)) writeFileSync(join(alice, path), text);
    git(alice, 'add', '-A');
    git(alice, 'commit', '-qm', message, '--no-verify');
    return git(alice, 'rev-parse', 'HEAD').trim();
  };
  let ciCount = 0;
  const ciVerify = (rev: string, base: string) => {
    const name = `ci-${++ciCount}`;
    const ci = served.remote!.clone(name);
    git(ci, 'checkout', '-q', rev);
    return served.person(name, ci).run(['verify', '--base', base]);
  };

  before(async () => {
    served = await ServedTeam.start({ prefix: 'promptops-policy-hook-', remote: true, seedClone: 'alice' });
    ({ seed: alice, people } = served);
    remote = served.remote!.path;
    for (const [name, cwd] of [
      ['alice', alice],
      ['ada', served.remote!.clone('ada')],
    ])
      served.addPerson(name, 'admin', { cwd, email: `${name}@example.com` });
    mkdirSync(join(alice, '.promptops'), { recursive: true });
    mkdirSync(join(alice, 'prompts/support'), { recursive: true });
    writeFileSync(join(alice, ACCESS), FIRST);
    writeFileSync(join(alice, 'prompts/support/triage.prompt'), promptText('You triage tickets.', { env: 'dev' }));
    people.alice.ok(['init']);
    commit({}, 'PromptOps: access file, user directory, attributes');
    git(alice, 'push', '-q', 'origin', 'main');
    people.alice.ok(['apply']);
    commit({}, 'the signed policy record, version 1');
    git(alice, 'push', '-q', 'origin', 'main');
    people.alice.ok(['hooks', 'install', '--pre-receive', remote]);
    changed = `${readFileSync(join(alice, ACCESS), 'utf8')}protected: ["prompts/shared/**"]\n`;
  });

  after(() => served?.stop());

  // `init` pinned the server's key in the access file: the change keeps it.
  let changed: string;

  it('a --no-verify commit of the access file pushed straight to main is refused by the hook, naming the file', () => {
    const before = remoteTip('main');
    commit({ [ACCESS]: changed }, 'protect shared prompts (no review)');
    const refused = push('main');
    assert.notEqual(refused.status, 0);
    assert.match(
      refused.stderr,
      /remote: \.promptops\/access\.yaml: changed in this range to content .* that the server did not apply/,
    );
    assert.match(refused.stderr, /pre-receive hook declined/);
    assert.equal(remoteTip('main'), before);
    git(alice, 'reset', '-q', '--hard', 'origin/main');
  });

  let mainBefore: string;
  let unapplied: string;

  it('the review branch is accepted with a warning; verify --base in CI and a push of it to main still refuse it', () => {
    mainBefore = remoteTip('main');
    git(alice, 'checkout', '-q', '-b', BRANCH);
    unapplied = commit({ [ACCESS]: changed }, 'protect shared prompts');
    const accepted = push('-u', BRANCH);
    assert.equal(accepted.status, 0, accepted.stderr);
    assert.match(accepted.stderr, /warning: pending policy change: .*Allowed on refs\/heads\/policy\/protect-shared/);
    assert.equal(remoteTip(BRANCH), unapplied);

    const ci = ciVerify(`origin/${BRANCH}`, 'origin/main');
    assert.equal(ci.status, 1, ci.stdout + ci.stderr);
    assert.match(ci.stdout, /^\.promptops\/access\.yaml: changed in this range/m);

    const early = push(`${BRANCH}:main`);
    assert.notEqual(early.status, 0);
    assert.match(early.stderr, /remote: \.promptops\/access\.yaml: /);
    assert.equal(remoteTip('main'), mainBefore);
  });

  it('reviewed and applied from the pushed branch commit; the lock committed on the branch; merged into main: accepted, CI passes', () => {
    const review = people.alice.json<ReviewDto>(['review', 'request', ACCESS, '-m', 'protect shared prompts']);
    people.ada.ok(['review', 'approve', review.id, '--head', review.headHash]);
    const out = people.alice.ok(['apply', '--commit', unapplied]);
    assert.match(out, /as version 2/);
    const record = parsePolicyRecord(readFileSync(join(alice, POLICY_LOCK), 'utf8')).record!;
    assert.deepEqual([record.serial, record.commit, record.approvals], [2, unapplied, ['ada']]);
    commit({}, 'the signed policy record, version 2');
    const branchPush = push(BRANCH);
    assert.equal(branchPush.status, 0, branchPush.stderr);
    assert.doesNotMatch(branchPush.stderr, /pending policy change/);

    git(alice, 'checkout', '-q', 'main');
    git(alice, 'merge', '-q', '--no-ff', '--no-verify', '-m', 'merge the reviewed policy change', BRANCH);
    const merged = push('main');
    assert.equal(merged.status, 0, merged.stderr);
    assert.equal(remoteTip('main'), git(alice, 'rev-parse', 'HEAD').trim());
    const ci = ciVerify('origin/main', mainBefore);
    assert.equal(ci.status, 0, ci.stdout + ci.stderr);
  });

  it('a lock edited on a review branch is refused there too: only a pending access file is let through', () => {
    git(alice, 'checkout', '-q', '-b', 'policy/forged');
    const lock = readFileSync(join(alice, POLICY_LOCK), 'utf8').replace(/serial: 2/, 'serial: 9');
    commit({ [ACCESS]: `${changed}# more\n`, [POLICY_LOCK]: lock }, 'a forged record');
    const refused = push('policy/forged');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /remote: \.promptops\/policy\.lock: its signature does not verify/);
  });
});
