import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReleaseLock, removeRelease } from '../../../src/core/release/releaseLock';
import { loadPublished } from '../../../src/runtime/loadPublished';
import { PublishedPromptError } from '../../../src/runtime/publishedPromptError';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { git } from '../../support/bareRemote';
import type { ServedTeam } from '../../support/cliAgainstServer';
import { startPublishingTeam, type PublishingTeam } from '../../support/publishingTeam';
import { promptText } from '../../support/reviewFixtures';

const TRIAGE = 'prompts/support/triage.prompt';
const REFUND = 'prompts/support/refund.prompt';
const LOCK = '.promptops/published.yaml';

/**
 * Unpublishing as a team: a served server, one bare remote and a clone per person. A publisher
 * unpublishes from her own clone and pushes; a fresh CI clone judges the range and the runtime
 * loader there says the prompt was unpublished. A drafter is refused by the server, and the
 * same removal made by hand and pushed past the hooks is caught by CI's `verify --base`.
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
    });
    ({ people } = team.served);
    clones = team.clones;
    for (const [path, body] of [
      [TRIAGE, 'You triage support tickets by urgency.'],
      [REFUND, 'You handle refunds politely.'],
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
      [REFUND, TRIAGE],
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
    assert.match(result.stderr, /1 published entry, 3 commits since [0-9a-f]+.*: ok/);
    const publicKey = people.admin.ok(['server-key']).trim();
    await assert.rejects(
      loadPublished({ repoDir: ci, name: 'triage', env: 'dev', publicKey }),
      (e: unknown) =>
        e instanceof PublishedPromptError &&
        e.code === 'UNPUBLISHED' &&
        /prompt "triage" \(prompts\/support\/triage\.prompt\) was unpublished from dev by pia at /.test(e.message),
    );
    const refund = await loadPublished({ repoDir: ci, name: 'refund', env: 'dev', publicKey });
    assert.equal(refund.record.publisher, 'paul', 'the other release stays published');
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
});
