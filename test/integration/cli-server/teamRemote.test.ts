import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseReleaseLock } from '../../../src/core/release/releaseLock';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import type { ServedTeam } from '../../support/cliAgainstServer';
import { startPublishingTeam } from '../../support/publishingTeam';
import { promptText } from '../../support/reviewFixtures';
import { BareRemote, git } from '../../support/bareRemote';

/**
 * A team around one bare remote: publish reaches the remote (`publish --push`, replayed when
 * someone published first, a branch of its own when the release branch is protected), the
 * drafter's clone closes cleanly (`sync`), and a fresh CI clone judges the range
 * (`verify --base`). Real server, real git, real processes.
 */
describe('CLI against a real server: publish --push, sync and CI on one bare remote', function () {
  this.timeout(240_000);
  let served: ServedTeam;
  let top: string;
  let team: BareRemote;
  let remote: string;
  let seed: string;
  let baseSha: string;
  let clones: Record<string, string>;
  let people: ServedTeam['people'];
  const triage = 'prompts/support/triage.prompt';
  const refund = 'prompts/support/refund.prompt';
  const greeting = 'prompts/support/greeting.prompt';
  const LOCK = '.promptops/published.yaml';

  const remoteLock = () => parseReleaseLock(git(remote, 'show', `main:${LOCK}`)).entries!.map((e) => e.release);
  const requestAndApprove = (path: string, body: string): ReviewDto => {
    writeFileSync(join(clones.erin, path), promptText(body, { env: 'dev' }));
    const review = people.erin.json<ReviewDto>(['review', 'request', path]);
    people.rita.ok(['review', 'approve', review.id, '--head', review.headHash]);
    return review;
  };
  const ciVerify = (name: string, base: string, ...extra: string[]) => {
    const ci = team.clone(name, ...extra);
    return { ci, result: served.person(name, ci).run(['verify', '--base', base]) };
  };

  before(async () => {
    let initOutput: string;
    ({ served, clones, baseSha, initOutput } = await startPublishingTeam(
      'promptops-team-remote-',
      ['erin', 'rita', 'paul', 'pia'],
      { [triage]: 'You triage support tickets.', [refund]: 'You handle refunds.' },
    ));
    ({ top, seed, people } = served);
    team = served.remote!;
    remote = team.path;
    // One command sets the repository up; it says what to commit.
    assert.equal(
      /\n {2}(git add .*)\n/.exec(initOutput)![1],
      'git add .promptops/access.yaml .promptops/directory.yaml .gitattributes && git commit -m "PromptOps: access file, user directory, attributes"',
    );
  });

  after(() => served?.stop());

  it('init pinned the key that server-key prints, wrote .gitattributes for every prompt format, and runs again safely', () => {
    const key = people.admin.ok(['server-key']).trim();
    assert.match(
      readFileSync(join(seed, '.promptops/access.yaml'), 'utf8'),
      new RegExp(`^publicKey: "${key.replace(/[+/]/g, '\\$&')}"$`, 'm'),
    );
    assert.match(readFileSync(join(seed, '.promptops/access.yaml'), 'utf8'), /^# PromptLayer's/, 'comments kept');
    assert.match(people.admin.ok(['server-key', '--pem']), /^-----BEGIN PUBLIC KEY-----/);
    const attributes = readFileSync(join(seed, '.gitattributes'), 'utf8');
    for (const pattern of [
      '*.prompt',
      '*.prompt.yml',
      '*.prompt.yaml',
      '*.prompty',
      '*.prompt.md',
      '.promptops/*.yaml',
    ])
      assert.ok(attributes.includes(`\n${pattern} -text\n`), pattern);
    assert.equal(
      git(seed, 'check-attr', 'text', '--', 'prompts/x.prompt.md').trim(),
      'prompts/x.prompt.md: text: unset',
    );
    assert.ok(existsSync(join(seed, '.git/hooks/pre-commit')));
    const again = people.admin.ok(['init']);
    assert.match(again, /^Kept \.promptops\/access\.yaml/);
    assert.match(again, /Kept \.gitattributes lines/);
    // Only the directory is issued afresh (a new issuedAt); access file and attributes are kept as they were.
    assert.equal(git(seed, 'status', '--porcelain'), ' M .promptops/directory.yaml\n');
    git(seed, 'checkout', '-q', '--', '.promptops/directory.yaml');
    const viewer = people.rita.run(['init']);
    assert.equal(viewer.status, 1);
    assert.match(viewer.stderr, /only admins may change; you are rita with role viewer/);
  });

  it('request → approve elsewhere → publish --push → the drafter syncs cleanly → a fresh CI clone verifies the range', () => {
    const review = requestAndApprove(triage, 'You triage support tickets by urgency.');
    const drafted = readFileSync(join(clones.erin, triage));
    // The publisher is on another branch: the publish happens in a temporary worktree.
    git(clones.paul, 'checkout', '-q', '-b', 'paul-experiments');
    writeFileSync(join(clones.paul, 'scratch.txt'), 'untracked work\n');
    const out = people.paul.ok(['publish', review.id, '--push']);
    assert.match(out, /^Published prompts\/support\/triage\.prompt to support\/dev/);
    assert.match(out, /Pushed [0-9a-f]{12} \(prompt and \.promptops\/published\.yaml\) to origin\/main\./);
    assert.match(out, /working tree was not touched/);
    assert.equal(git(clones.paul, 'status', '--porcelain'), '?? scratch.txt\n', "the publisher's tree is untouched");
    assert.equal(
      git(clones.paul, 'worktree', 'list', '--porcelain').match(/^worktree /gm)?.length,
      1,
      'no worktree left',
    );
    assert.deepEqual(git(remote, 'show', '--name-only', '--format=', 'main').trim().split('\n').sort(), [LOCK, triage]);
    assert.deepEqual(
      remoteLock().map((r) => [r.path, r.publisher]),
      [[triage, 'paul']],
    );

    // The drafter still holds the same change, uncommitted: sync puts it back and fast-forwards.
    assert.match(git(clones.erin, 'status', '--porcelain'), /^ M prompts\/support\/triage\.prompt$/m);
    const synced = people.erin.ok(['sync']);
    assert.match(synced, /triage\.prompt: published upstream \(review #\d+\)/);
    assert.match(synced, /Fast-forwarded main/);
    assert.equal(git(clones.erin, 'status', '--porcelain'), '');
    assert.equal(git(clones.erin, 'rev-parse', 'HEAD'), git(remote, 'rev-parse', 'main'));
    assert.deepEqual(readFileSync(join(clones.erin, triage)), drafted);
    assert.match(people.erin.ok(['sync']), /up to date/);

    const ci = ciVerify('ci-1', baseSha);
    assert.equal(ci.result.status, 0, ci.result.stderr + ci.result.stdout);
    assert.match(ci.result.stderr, /1 published entry, 1 commit since [0-9a-f]+.*: ok/);
    const atTip = people['ci-1'].run(['verify', '--base', 'origin/main']);
    assert.equal(atTip.status, 0, atTip.stderr);
    git(clones.paul, 'checkout', '-q', 'main');
    people.paul.ok(['sync']);
  });

  it('two publishers at the same moment: the later push is replayed on the new tip, and the lock holds both', async () => {
    const first = requestAndApprove(refund, 'You handle refunds politely.');
    const second = requestAndApprove(greeting, 'You greet customers.');
    git(clones.erin, 'checkout', '-q', '--', refund);
    rmSync(join(clones.erin, greeting));
    // paul's commit waits (a pre-commit hook) until pia has pushed: his first push is then stale, for certain.
    const gate = join(top, 'pia-pushed');
    writeFileSync(
      join(clones.paul, '.git/hooks/pre-commit'),
      `#!/bin/sh\nwhile [ ! -f '${gate}' ]; do sleep 0.1; done\n`,
      { mode: 0o755 },
    );
    const paul = people.paul.start(['publish', first.id, '--push']);
    const pia = await people.pia.start(['publish', second.id, '--push']);
    assert.equal(pia.status, 0, pia.stderr);
    writeFileSync(gate, '');
    const paulDone = await paul;
    unlinkSync(join(clones.paul, '.git/hooks/pre-commit'));
    assert.equal(paulDone.status, 0, paulDone.stderr);
    assert.match(paulDone.stdout, /replayed on the new tip after 1 rejected push/);
    assert.deepEqual(
      remoteLock().map((r) => [r.path, r.publisher]),
      [
        [greeting, 'pia'],
        [refund, 'paul'],
        [triage, 'paul'],
      ],
    );
    const ci = ciVerify('ci-2', baseSha);
    assert.equal(ci.result.status, 0, ci.result.stderr + ci.result.stdout);
    assert.match(ci.result.stderr, /3 published entries, 3 commits/);
  });

  it('sync never discards a local change that differs from upstream: it stops, names the file, changes nothing', () => {
    const head = git(clones.rita, 'rev-parse', 'HEAD');
    const mine = promptText('You handle refunds my way.', { env: 'dev' });
    writeFileSync(join(clones.rita, refund), mine);
    const r = people.rita.run(['sync']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /local changes differ from origin\/main.*: prompts\/support\/refund\.prompt\./);
    assert.equal(git(clones.rita, 'rev-parse', 'HEAD'), head);
    assert.equal(readFileSync(join(clones.rita, refund), 'utf8'), mine);
    git(clones.rita, 'checkout', '-q', '--', refund);
    people.rita.ok(['sync']);
  });

  it('a protected release branch: a branch of its own, the pull request command, and every clone sees it waiting for the merge until a publisher syncs it merged', () => {
    people.paul.ok(['sync']);
    const review = requestAndApprove(triage, 'You triage support tickets by urgency, then by product.');
    git(clones.erin, 'checkout', '-q', '--', triage);
    const hook = join(remote, 'hooks/pre-receive');
    writeFileSync(
      hook,
      '#!/bin/sh\nwhile read old new ref; do\n  [ "$ref" = refs/heads/main ] && { echo "main is protected: open a pull request" >&2; exit 1; }\ndone\nexit 0\n',
      { mode: 0o755 },
    );
    const mainBefore = git(remote, 'rev-parse', 'main');
    const out = people.paul.ok(['publish', review.id, '--push']);
    const own = `promptops/publish-${review.id}`;
    assert.match(out, /refused a push to main .*it is protected/);
    assert.match(out, new RegExp(`gh pr create --base main --head ${own}`));
    assert.match(out, /The release waits for that branch to be merged into main/);
    assert.equal(git(remote, 'rev-parse', 'main'), mainBefore);
    assert.deepEqual(git(remote, 'show', '--name-only', '--format=', own).trim().split('\n').sort(), [LOCK, triage]);
    const ownTip = git(remote, 'rev-parse', own).trim();

    // Every clone sees, through the server, that the release waits for the merge.
    const waiting = 'published — waiting for merge into main';
    assert.match(people.erin.ok(['review', 'show', review.id]), new RegExp(`^Review #${review.id} \\(${waiting}\\)`));
    assert.match(
      people.rita.ok(['review', 'list', '--status', 'published']),
      new RegExp(`#${review.id} .*\\(${waiting}, ${own}\\)`),
    );
    const shown = people.pia.json<ReviewDto>(['review', 'show', review.id]);
    assert.deepEqual(
      [shown.delivery?.state, shown.delivery?.branch, shown.delivery?.commit, shown.delivery?.by],
      ['awaiting-merge', own, ownTip, 'paul'],
    );
    // Not merged yet: a publisher's sync leaves it waiting.
    assert.match(
      people.pia.ok(['sync']),
      new RegExp(`Review #${review.id}: published, waiting for ${own} to be merged into main`),
    );
    assert.equal(people.pia.json<ReviewDto>(['review', 'show', review.id]).delivery?.state, 'awaiting-merge');

    // The pull request is merged on the host.
    unlinkSync(hook);
    team.git('update-ref', 'refs/heads/main', ownTip, mainBefore.trim());
    // The drafter may not publish: her sync brings the merge in but cannot clear the state.
    const erinSync = people.erin.ok(['sync']);
    assert.match(
      erinSync,
      new RegExp(
        `Review #${review.id}: merged into main, but it stays "waiting for merge" until someone who may publish it syncs`,
      ),
    );
    assert.equal(people.rita.json<ReviewDto>(['review', 'show', review.id]).delivery?.state, 'awaiting-merge');
    // A publisher in another clone syncs: every clone now sees it on main.
    assert.match(
      people.pia.ok(['sync']),
      new RegExp(`Review #${review.id}: merged into main; the server no longer shows it waiting`),
    );
    const after = people.erin.json<ReviewDto>(['review', 'show', review.id]);
    assert.deepEqual(
      [after.delivery?.state, after.delivery?.commit, after.delivery?.by],
      ['release-branch', ownTip, 'pia'],
    );
    assert.doesNotMatch(people.rita.ok(['review', 'list', '--status', 'published']), /waiting for merge/);
    assert.equal(people.rita.ok(['review', 'list', '--awaiting-merge']).trim(), '');
    people.paul.ok(['sync']);
  });

  it('a push refused altogether: the publish commit stays on a local branch and the message says what to run', () => {
    const review = requestAndApprove(refund, 'You handle refunds politely and quickly.');
    git(clones.erin, 'checkout', '-q', '--', refund);
    const hook = join(remote, 'hooks/pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "permission denied: paul may not push here" >&2\nexit 1\n', { mode: 0o755 });
    const mainBefore = git(remote, 'rev-parse', 'main');
    const r = people.paul.run(['publish', review.id, '--push']);
    unlinkSync(hook);
    assert.equal(r.status, 1, r.stderr);
    const own = `promptops/publish-${review.id}`;
    assert.match(r.stdout, /Nothing was pushed: \[remote rejected\]/);
    assert.match(r.stdout, new RegExp(`kept on your local branch ${own}.*\\n  git push origin ${own}:main`, 's'));
    assert.equal(git(remote, 'rev-parse', 'main'), mainBefore);
    assert.deepEqual(git(clones.paul, 'show', '--name-only', '--format=', own).trim().split('\n').sort(), [
      LOCK,
      refund,
    ]);
    assert.ok(!existsSync(join(remote, 'refs/heads', own)));
  });

  it('a shallow CI clone: verify --base says so instead of misjudging (exit 2); the full clone passes', () => {
    const shallow = ciVerify('ci-shallow', 'HEAD~1', '--depth', '1');
    assert.equal(shallow.result.status, 2);
    assert.match(shallow.result.stderr, /this clone is shallow.*fetch-depth: 0.*GIT_DEPTH: 0/);
    const full = ciVerify('ci-full', 'HEAD~1');
    assert.equal(full.result.status, 0, full.result.stderr);
  });

  it('the shipped CI files (docs/ci) run their own verify step in a full CI clone: exit 0, and 1 for a bad range', () => {
    const root = join(__dirname, '../../..');
    const github = parseYaml(readFileSync(join(root, 'docs/ci/github-actions.yml'), 'utf8')) as {
      jobs: { verify: { steps: { name?: string; run?: string; with?: Record<string, unknown> }[] } };
    };
    const gitlab = parseYaml(readFileSync(join(root, 'docs/ci/gitlab-ci.yml'), 'utf8')) as {
      'promptops-verify': { variables: Record<string, unknown>; script: string[] };
    };
    assert.equal(github.jobs.verify.steps[0].with?.['fetch-depth'], 0);
    assert.equal(gitlab['promptops-verify'].variables.GIT_DEPTH, 0);
    const steps = {
      github: github.jobs.verify.steps.find((s) => s.name === 'promptops verify')!.run!,
      gitlab: gitlab['promptops-verify'].script.at(-1)!,
    };
    const ci = team.clone('ci-docs');
    // `npx promptops …` is the CLI under test here.
    const shim = `npx() { shift; "${process.execPath}" "${served.cli}" "$@"; }\n`;
    const run = (script: string, env: Record<string, string>) =>
      spawnSync('sh', ['-c', shim + script], { cwd: ci, encoding: 'utf8', env: { ...process.env, ...env } });
    for (const [which, env] of [
      ['github', { BASE: baseSha }],
      ['github', { BASE: '0000000000000000000000000000000000000000' }],
      ['gitlab', { CI_COMMIT_BEFORE_SHA: baseSha }],
      ['gitlab', { CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha }],
    ] as const) {
      const r = run(steps[which], env);
      assert.equal(r.status, 0, `${which} ${JSON.stringify(env)}: ${r.stderr}`);
      assert.match(r.stderr, /promptops verify: .* commits? since .*: ok/);
    }
    // A commit by someone who may not change the prompt: the same step fails.
    writeFileSync(join(ci, refund), promptText('Tampered.', { env: 'dev' }));
    git(ci, 'commit', '-qam', 'tamper');
    const bad = run(steps.gitlab, { CI_COMMIT_BEFORE_SHA: baseSha });
    assert.equal(bad.status, 1, bad.stderr);
    assert.match(bad.stdout, /prompts\/support\/refund\.prompt: /);
  });

  it('a pre-receive hook on the bare remote refuses a push that fails verify and accepts one that passes', () => {
    people.admin.ok(['hooks', 'install', '--pre-receive', remote]);
    assert.ok(readFileSync(join(remote, 'hooks/pre-receive'), 'utf8').includes('promptops-pre-receive-hook'));
    for (const name of ['rita', 'erin']) git(clones[name], 'pull', '-q', '--ff-only');

    // rita is a reviewer (a viewer): she may not edit prompts, whatever git lets her commit.
    writeFileSync(join(clones.rita, refund), promptText('You refund everything.', { env: 'dev' }));
    git(clones.rita, 'commit', '-qam', 'refund everything');
    const mainBefore = git(remote, 'rev-parse', 'main');
    const refused = spawnSync('git', ['push', 'origin', 'main'], { cwd: clones.rita, encoding: 'utf8' });
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /remote: prompts\/support\/refund\.prompt: commit [0-9a-f]{7} by rita/);
    assert.match(refused.stderr, /pre-receive hook declined/);
    assert.equal(git(remote, 'rev-parse', 'main'), mainBefore);

    // erin drafts a new dev prompt: allowed.
    writeFileSync(join(clones.erin, 'prompts/support/new.prompt'), promptText('You are new.', { env: 'dev' }));
    git(clones.erin, 'add', 'prompts/support/new.prompt');
    git(clones.erin, 'commit', '-qm', 'a new draft');
    const accepted = spawnSync('git', ['push', 'origin', 'main'], { cwd: clones.erin, encoding: 'utf8' });
    assert.equal(accepted.status, 0, accepted.stderr);
    assert.equal(git(remote, 'rev-parse', 'main'), git(clones.erin, 'rev-parse', 'HEAD'));
  });
});
