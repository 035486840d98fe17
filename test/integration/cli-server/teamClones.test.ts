import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentSha256 } from '../../../src/core/release/contentHash';
import { parseReleaseLock } from '../../../src/core/release/releaseLock';
import type { ReviewDto, ReviewSummaryDto } from '../../../src/shared/api/reviews';
import { ServedTeam } from '../../support/cliAgainstServer';
import { promptText } from '../../support/reviewFixtures';
import { PROMPTLAYER_ACCESS } from '../../support/reviewServer';
import { git } from '../../support/bareRemote';

/** A git that speaks German wherever its translations are installed: proof that PromptOps does not read git's words. */
const GERMAN = { LC_ALL: 'C.UTF-8', LANGUAGE: 'de', LANG: 'de_DE.UTF-8' };

/**
 * A real team: one server, a bare remote and one clone per person. The drafter asks for
 * review and pushes nothing; the reviewer approves from her clone; the publisher, whose
 * clone never had the change, publishes from the server's approved content.
 */
describe('CLI against a real server: a team on three clones of one remote', function () {
  this.timeout(180_000);
  let served: ServedTeam;
  let top: string;
  let remote: string;
  const clones: Record<string, string> = {};
  let people: ServedTeam['people'];
  const path = 'prompts/support/triage.prompt';
  const original = promptText('You triage support tickets.', { env: 'dev' });
  const approvedText = promptText('You triage support tickets by urgency, then by product.', { env: 'dev' });
  let review: ReviewDto;

  const file = (who: string, p = path) => join(clones[who], p);

  before(async () => {
    served = await ServedTeam.start({
      seedFiles: (url) => ({
        '.promptops/access.yaml': PROMPTLAYER_ACCESS.replace('version: 1\n', `version: 1\nserver: ${url}\n`),
        [path]: original,
      }),
      apply: true,
    });
    ({ top, people } = served);
    remote = served.remote!.path;
    for (const name of ['erin', 'rita', 'paul']) {
      clones[name] = served.remote!.clone(name);
      served.addPerson(name, 'viewer', { cwd: clones[name] });
    }
  });

  after(() => served?.stop());

  it('the drafter asks for review and pushes nothing; the reviewer approves from her own clone', () => {
    writeFileSync(file('erin'), approvedText);
    review = people.erin.json<ReviewDto>(['review', 'request', path, '-m', 'sort by urgency']);
    assert.equal(review.headHash, contentSha256(approvedText));
    assert.equal(git(remote, 'rev-list', '--count', 'main').trim(), '1', 'nothing was pushed');
    assert.equal(readFileSync(file('rita'), 'utf8'), original, 'the reviewer never had the change');
    people.rita.ok(['review', 'approve', review.id, '--head', review.headHash]);
  });

  it('review checkout refuses over unrelated local edits, changing nothing; over a clean file it writes the approved bytes', () => {
    const unrelated = `${original}# my own experiment\n`;
    writeFileSync(file('rita'), unrelated);
    const refused = people.rita.run(['review', 'checkout', review.id]);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /not the approved head of review #\d+ .*nothing was changed/is);
    assert.equal(readFileSync(file('rita'), 'utf8'), unrelated);

    git(clones.rita, 'checkout', '--', path);
    assert.match(people.rita.ok(['review', 'checkout', review.id]), /Wrote review #\d+'s head/);
    assert.equal(contentSha256(readFileSync(file('rita'))), review.headHash);
    assert.match(people.rita.ok(['review', 'checkout', review.id]), /already holds review #\d+'s head/);
    git(clones.rita, 'checkout', '--', path);
  });

  it('symbolic links are refused: nothing is read or written outside the repository', () => {
    const outside = join(top, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'triage.prompt'), 'outside\n');

    // The prompt itself is a link.
    rmSync(file('rita'));
    symlinkSync(join(outside, 'triage.prompt'), file('rita'));
    const viaFile = people.rita.run(['review', 'checkout', review.id]);
    assert.equal(viaFile.status, 1);
    assert.match(viaFile.stderr, /symbolic link/);
    assert.equal(readFileSync(join(outside, 'triage.prompt'), 'utf8'), 'outside\n');
    const request = people.rita.run(['review', 'request', path]);
    assert.equal(request.status, 1, 'a linked prompt is not uploaded');
    assert.match(request.stderr, /symbolic link/);
    unlinkSync(file('rita'));

    // A folder above it is a link.
    rmSync(join(clones.rita, 'prompts/support'), { recursive: true });
    symlinkSync(outside, join(clones.rita, 'prompts/support'));
    const viaFolder = people.rita.run(['review', 'checkout', review.id]);
    assert.equal(viaFolder.status, 1);
    assert.match(viaFolder.stderr, /lies under prompts\/support, a symbolic link/);
    assert.equal(readFileSync(join(outside, 'triage.prompt'), 'utf8'), 'outside\n');
    unlinkSync(join(clones.rita, 'prompts/support'));
    git(clones.rita, 'checkout', '--', '.');

    // The lock is a link: publishing refuses before the server is asked.
    writeFileSync(join(outside, 'published.yaml'), '');
    symlinkSync(join(outside, 'published.yaml'), file('paul', '.promptops/published.yaml'));
    const viaLock = people.paul.run(['publish', review.id]);
    assert.equal(viaLock.status, 1);
    assert.match(viaLock.stderr, /\.promptops\/published\.yaml is a symbolic link/);
    assert.equal(readFileSync(join(outside, 'published.yaml'), 'utf8'), '');
    assert.equal(people.paul.json<ReviewDto>(['review', 'show', review.id]).status, 'open', 'nothing was published');
    unlinkSync(file('paul', '.promptops/published.yaml'));
    assert.equal(git(clones.paul, 'status', '--porcelain'), '');
  });

  it('the publisher, whose clone never had the change, publishes: one commit with the approved bytes and the lock', () => {
    const head = git(clones.paul, 'rev-parse', 'HEAD').trim();
    // A hook that fails stands in for any local failure after the server has signed.
    const hook = join(clones.paul, '.git/hooks/pre-commit');
    writeFileSync(hook, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const failed = people.paul.run(['publish', review.id], GERMAN);
    assert.notEqual(failed.status, 0);
    assert.equal(git(clones.paul, 'rev-parse', 'HEAD').trim(), head, 'nothing was committed');
    assert.equal(people.paul.json<ReviewDto>(['review', 'show', review.id]).status, 'published');

    // Run again: the server's release is reused and the local part finishes.
    unlinkSync(hook);
    const again = people.paul.ok(['publish', review.id], GERMAN);
    assert.match(again, /^Already published prompts\/support\/triage\.prompt to support\/dev from review #\d+/);
    assert.match(again, /committed [0-9a-f]{12}/);
    assert.equal(git(clones.paul, 'rev-parse', 'HEAD~1').trim(), head);
    assert.deepEqual(git(clones.paul, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort(), [
      '.promptops/published.yaml',
      path,
    ]);
    assert.equal(git(clones.paul, 'show', `HEAD:${path}`), approvedText, 'the approved bytes');
    const lock = parseReleaseLock(git(clones.paul, 'show', 'HEAD:.promptops/published.yaml'));
    assert.deepEqual(
      lock.entries?.map((e) => [e.release.path, e.release.sha256, e.release.publisher]),
      [[path, review.headHash, 'paul']],
    );

    // And again: already committed, known from git's index (under a German-speaking git), not from its words.
    const noop = people.paul.json<{ alreadyPublished: boolean; alreadyCommitted: boolean; commit: string }>([
      'publish',
      review.id,
    ]);
    assert.deepEqual([noop.alreadyPublished, noop.alreadyCommitted], [true, true]);
    assert.match(people.paul.ok(['publish', review.id], GERMAN), /already committed as published .*nothing to do/);
    assert.equal(git(clones.paul, 'rev-parse', 'HEAD~1').trim(), head, 'no second commit');
    assert.equal(git(clones.paul, 'status', '--porcelain'), '');
  });

  it('publish refuses over unrelated local edits, changing nothing', () => {
    writeFileSync(file('erin'), promptText('You triage support tickets by urgency.', { env: 'dev' }));
    const second = people.erin.json<ReviewDto>(['review', 'request', path]);
    people.rita.ok(['review', 'approve', second.id, '--head', second.headHash]);
    const edited = `${approvedText}# paul's own edit\n`;
    writeFileSync(file('paul'), edited);
    const refused = people.paul.run(['publish', second.id]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /no longer matches the approved content/);
    assert.equal(readFileSync(file('paul'), 'utf8'), edited);
    assert.equal(people.paul.json<ReviewSummaryDto>(['review', 'show', second.id]).status, 'open');
    git(clones.paul, 'checkout', '--', path);
    assert.ok(existsSync(file('paul')));
  });

  it('asking again for review of the same file adds a revision to my open review; --new starts another', () => {
    const other = 'prompts/support/refund.prompt';
    writeFileSync(file('erin', other), promptText('You handle refunds.', { env: 'dev' }));
    const first = people.erin.json<ReviewDto>(['review', 'request', other, '-m', 'first']);
    people.rita.ok(['review', 'approve', first.id, '--head', first.headHash.slice(0, 12)]);
    writeFileSync(file('erin', other), promptText('You handle refunds politely.', { env: 'dev' }));
    const out = people.erin.ok(['review', 'request', other, '-m', 'politer']);
    assert.match(out, new RegExp(`^Review #${first.id} revised: revision 2 of ${other}`));
    // A verdict names the head that was read: off a terminal, none is refused before anything is sent…
    for (const verb of ['approve', 'request-changes']) {
      const blind = people.rita.run(['review', verb, first.id]);
      assert.equal(blind.status, 2, blind.stderr);
      assert.match(blind.stderr, /needs --head <sha256>/);
    }
    // …and the head rita read (revision 1) is stale now: 409, saying where the review is.
    const stale = people.rita.run(['review', 'request-changes', first.id, '-m', 'hm', '--head', first.headHash]);
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, /has moved on: its head is now revision 2/);
    const revised = people.erin.json<ReviewDto>(['review', 'show', first.id]);
    assert.deepEqual([revised.revision, revised.approval.counted], [2, []], 'the approval was for revision 1');
    const mine = () =>
      people.erin.json<ReviewSummaryDto[]>(['review', 'list', '--mine']).filter((r) => r.path === other);
    assert.deepEqual(
      mine().map((r) => r.id),
      [first.id],
    );
    const separate = people.erin.json<ReviewDto>(['review', 'request', other, '--new']);
    assert.notEqual(separate.id, first.id);
    assert.equal(separate.revision, 1);
    assert.deepEqual(
      mine()
        .map((r) => r.id)
        .sort(),
      [first.id, separate.id].sort(),
    );
  });
});
