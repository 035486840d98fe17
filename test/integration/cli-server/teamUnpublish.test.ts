import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReleaseLock, removeRelease } from '../../../src/core/release/releaseLock';
import { loadPublished } from '../../../src/runtime/loadPublished';
import { PublishedPromptError } from '../../../src/runtime/publishedPromptError';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { git } from '../../support/bareRemote';
import type { ServedTeam } from '../../support/cliAgainstServer';
import { startPublishingTeam, type PublishingTeam } from '../../support/publishingTeam';
import { promptText } from '../../support/reviewFixtures';
import { waitFor } from '../../support/waitFor';

const TRIAGE = 'prompts/support/triage.prompt';
const REFUND = 'prompts/support/refund.prompt';
const GREETING = 'prompts/support/greeting.prompt';
const LOCK = '.promptops/published.yaml';

/**
 * Unpublishing as a team: a served server, one bare remote and a clone per person. A publisher
 * unpublishes from her own clone and pushes; a fresh CI clone judges the range and the runtime
 * loader there says the prompt was unpublished. A drafter is refused by the server, and the
 * same removal made by hand and pushed past the hooks is caught by CI's `verify --base`.
 * `--push` works from a clone that is behind, is done again when someone pushes first, and
 * goes to a branch of its own when the release branch is protected. Each case stands alone.
 */
describe('unpublish as a team: from a clone, pushed, judged by CI; nobody else takes an entry out', function () {
  this.timeout(240_000);
  let team: PublishingTeam;
  let people: ServedTeam['people'];
  let clones: Record<string, string>;
  /** The remote's main once triage and refund are published. */
  let published: string;

  const ciVerify = (name: string, base: string, branch = 'main') => {
    const ci = team.served.remote!.clone(name, '--branch', branch);
    return { ci, result: team.served.person(name, ci).run(['verify', '--base', base]) };
  };

  before(async () => {
    team = await startPublishingTeam('promptops-team-unpublish-', ['erin', 'rita', 'paul', 'pia'], {
      [TRIAGE]: 'You triage support tickets.',
      [REFUND]: 'You handle refunds.',
      [GREETING]: 'You greet customers.',
    });
    ({ people } = team.served);
    clones = team.clones;
    for (const [path, body] of [
      [TRIAGE, 'You triage support tickets by urgency.'],
      [REFUND, 'You handle refunds politely.'],
      [GREETING, 'You greet customers by name.'],
    ]) {
      writeFileSync(join(clones.erin, path), promptText(body, { env: 'dev' }));
      const review = people.erin.json<ReviewDto>(['review', 'request', path]);
      people.rita.ok(['review', 'approve', review.id, '--head', review.headHash]);
      people.paul.ok(['publish', review.id, '--push']);
      git(clones.erin, 'checkout', '-q', '--', path);
    }
    published = team.served.remote!.git('rev-parse', 'main').trim();
    assert.deepEqual(
      parseReleaseLock(team.served.remote!.git('show', `main:${LOCK}`)).entries!.map((e) => e.release.path),
      [GREETING, REFUND, TRIAGE],
    );
  });

  after(() => team?.served.stop());

  it('another publisher unpublishes from her own clone and pushes; a fresh CI clone verifies it, and its loader says unpublished', async () => {
    const pia = clones.pia;
    git(pia, 'pull', '-q', '--ff-only');
    const out = people.pia.ok(['unpublish', TRIAGE, '--env', 'dev']);
    assert.match(out, /^Unpublished prompts\/support\/triage\.prompt from dev \(retired review #\d+, published /m);
    assert.match(out, /and committed [0-9a-f]{12}\./);
    assert.deepEqual(git(pia, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort(), [
      LOCK,
      '.promptops/unpublished.yaml',
    ]);
    git(pia, 'push', '-q', 'origin', 'main');

    const { ci, result } = ciVerify('ci-unpublished', team.baseSha);
    assert.equal(result.status, 0, result.stderr + result.stdout);
    assert.match(result.stderr, /published entr(y|ies), \d+ commits since [0-9a-f]+.*: ok/);
    const publicKey = people.admin.ok(['server-key']).trim();
    await assert.rejects(
      loadPublished({ repoDir: ci, name: 'triage', env: 'dev', publicKey }),
      (e: unknown) =>
        e instanceof PublishedPromptError &&
        e.code === 'UNPUBLISHED' &&
        /prompt "triage" \(prompts\/support\/triage\.prompt\) was unpublished from dev by pia at /.test(e.message),
    );
    const greeting = await loadPublished({ repoDir: ci, name: 'greeting', env: 'dev', publicKey });
    assert.equal(greeting.record.publisher, 'paul', 'another release stays published');
  });

  it('a drafter may not unpublish: the server refuses and nothing is written; the entry dropped by hand and pushed past the hooks fails CI', () => {
    const erin = clones.erin;
    git(erin, 'fetch', '-q', 'origin');
    git(erin, 'checkout', '-q', '-B', 'erin-drops-refund', published);
    const refused = people.erin.run(['unpublish', REFUND, '--env', 'dev']);
    assert.equal(refused.status, 1, refused.stdout);
    assert.match(
      refused.stderr,
      /Unpublishing needs prompt\.publish for prompts\/support\/refund\.prompt in dev: .*you are `drafter` in `support`/,
    );
    assert.equal(git(erin, 'status', '--porcelain'), '', 'nothing written');
    assert.equal(git(erin, 'rev-parse', 'HEAD').trim(), published, 'nothing committed');

    const lock = join(erin, LOCK);
    writeFileSync(lock, removeRelease(readFileSync(lock, 'utf8'), REFUND, 'dev'));
    git(erin, 'commit', '-qam', 'tidy the lock', '--no-verify');
    git(erin, 'push', '-q', 'origin', 'erin-drops-refund');
    const { result } = ciVerify('ci-dropped', published, 'erin-drops-refund');
    assert.equal(result.status, 1, result.stderr + result.stdout);
    assert.match(
      result.stdout,
      /^prompts\/support\/refund\.prompt: its dev release .* was removed from the lock: an entry leaves the lock only with a server-signed unpublish record/m,
    );
  });
  it('unpublish --push from a clone that is behind, while someone pushes first: done on the remote tip, again on the new one, pushed; the clone follows', async () => {
    const paul = clones.paul;
    git(paul, 'checkout', '-q', 'main');
    const remoteLock = () =>
      parseReleaseLock(team.served.remote!.git('show', `main:${LOCK}`)).entries!.map((e) => e.release.path);
    assert.ok(remoteLock().includes(REFUND));
    // paul's commit waits (a pre-commit hook, which runs in the temporary worktree too) until rita has pushed.
    const reached = join(team.served.top, 'paul-reached-commit');
    const gate = join(team.served.top, 'rita-pushed');
    const hook = join(paul, '.git/hooks/pre-commit');
    writeFileSync(hook, `#!/bin/sh\ntouch '${reached}'\nwhile [ ! -f '${gate}' ]; do sleep 0.1; done\n`, {
      mode: 0o755,
    });
    try {
      const running = people.paul.start(['unpublish', REFUND, '--env', 'dev', '--push']);
      await waitFor('paul at his first commit', () => existsSync(reached));
      const rita = clones.rita;
      git(rita, 'pull', '-q', '--ff-only');
      writeFileSync(join(rita, 'NOTES.md'), 'Team notes.\n');
      git(rita, 'add', 'NOTES.md');
      git(rita, 'commit', '-qm', 'team notes', '--no-verify');
      git(rita, 'push', '-q', 'origin', 'main');
      const ritas = git(rita, 'rev-parse', 'HEAD').trim();
      writeFileSync(gate, '');
      const done = await running;
      assert.equal(done.status, 0, done.stderr + done.stdout);
      assert.match(done.stdout, /^Unpublished prompts\/support\/refund\.prompt from dev \(retired review #\d+/m);
      assert.match(
        done.stdout,
        /Pushed [0-9a-f]{12} \(\.promptops\/published\.yaml and \.promptops\/unpublished\.yaml\) to origin\/main, done again on the new tip after 1 rejected push\(es\)\./,
      );
      assert.match(done.stdout, /Your main is up to date with it\./);
      assert.equal(team.served.remote!.git('rev-parse', 'main~1').trim(), ritas, "on top of rita's push");
      assert.ok(!remoteLock().includes(REFUND));
      assert.equal(git(paul, 'rev-parse', 'HEAD').trim(), team.served.remote!.git('rev-parse', 'main').trim());
      assert.equal(git(paul, 'status', '--porcelain'), '');
    } finally {
      rmSync(hook, { force: true });
    }
    const { result } = ciVerify('ci-pushed', published);
    assert.equal(result.status, 0, result.stderr + result.stdout);
  });
  it('unpublish --push to a protected release branch: a branch of its own on the remote, main unchanged', () => {
    const pia = clones.pia;
    const remote = team.served.remote!;
    const hook = join(remote.path, 'hooks/pre-receive');
    writeFileSync(
      hook,
      '#!/bin/sh\nwhile read old new ref; do\n  [ "$ref" = refs/heads/main ] && { echo "main is protected: open a pull request" >&2; exit 1; }\ndone\nexit 0\n',
      { mode: 0o755 },
    );
    try {
      const mainBefore = remote.git('rev-parse', 'main').trim();
      const out = people.pia.ok(['unpublish', GREETING, '--env', 'dev', '--push']);
      const own = 'promptops/unpublish-dev-prompts_support_greeting.prompt';
      assert.match(out, /refused a push to main .*it is protected/);
      assert.match(out, new RegExp(`Pushed [0-9a-f]{12} to origin/${own.replace(/\./g, '\\.')} instead`));
      assert.equal(remote.git('rev-parse', 'main').trim(), mainBefore, 'main is unchanged');
      assert.deepEqual(remote.git('show', '--name-only', '--format=', own).trim().split('\n').sort(), [
        LOCK,
        '.promptops/unpublished.yaml',
      ]);
      assert.ok(
        !parseReleaseLock(remote.git('show', `${own}:${LOCK}`)).entries!.some((e) => e.release.path === GREETING),
      );
      assert.equal(git(pia, 'status', '--porcelain'), '', "pia's working tree was not touched");
    } finally {
      rmSync(hook, { force: true });
    }
  });
});
