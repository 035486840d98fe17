import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { ServedTeam } from '../../support/cliAgainstServer';
import { promptText } from '../../support/reviewFixtures';
import { PROMPTLAYER_ACCESS } from '../../support/reviewServer';
import { git } from '../../support/bareRemote';

/** The lines of one section of `review show`: after its title, up to the next unindented line. */
function section(shown: string, title: string): string[] {
  const lines = shown.split('\n');
  const start = lines.indexOf(`${title}:`);
  assert.notEqual(start, -1, `no section "${title}" in:\n${shown}`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => !l.startsWith(' '));
  return end === -1 ? rest : rest.slice(0, end);
}

/** Every `{+…+}` and `[-…-]` mark in some lines. */
function marks(lines: string[]): string[] {
  return lines.flatMap((l) => [...l.matchAll(/\{\+(.*?)\+\}|\[-(.*?)-\]/g)].map((m) => m[0]));
}

/**
 * What changed, as the reviewer's own clone shows it: a drafter in clone A changes one
 * sentence of a prompt nobody has published; the reviewer in clone B sees exactly that
 * sentence against the base commit (fetched when her clone lacks it), then what changed
 * since revision 1, with every revision's note.
 */
describe('CLI against a real server: review show compares with the base commit and the previous revision', function () {
  this.timeout(180_000);
  let served: ServedTeam;
  const clones: Record<string, string> = {};
  let people: ServedTeam['people'];
  const path = 'prompts/support/triage.prompt';
  const sentences = (middle: string, last = 'Never guess the product.') =>
    promptText(`You triage support tickets. ${middle} ${last}`, { env: 'dev' });
  let review: ReviewDto;

  before(async () => {
    served = await ServedTeam.start({
      prefix: 'promptops-compare-',
      seedFiles: (url) => ({
        '.promptops/access.yaml': PROMPTLAYER_ACCESS.replace('version: 1\n', `version: 1\nserver: ${url}\n`),
        [path]: sentences('Be brief.'),
      }),
    });
    people = served.people;
    const { seed } = served;
    // The reviewer cloned before the next commit: her clone lacks the drafter's base.
    clones.rita = served.remote!.clone('rita');
    writeFileSync(join(seed, 'README.md'), 'Prompts.\n');
    git(seed, 'add', '-A');
    git(seed, 'commit', '-qm', 'readme');
    git(seed, 'push', '-q', 'origin', 'main');
    clones.erin = served.remote!.clone('erin');
    served.admin.ok(['apply']);
    for (const name of ['erin', 'rita']) served.addPerson(name, 'viewer', { cwd: clones[name] });
  });

  after(() => served?.stop());

  it('revision 1: the reviewer sees exactly the changed sentence against her git’s base commit, fetched for her', () => {
    const base = git(clones.erin, 'rev-parse', 'HEAD').trim();
    assert.throws(() => git(clones.rita, 'cat-file', '-e', `${base}^{commit}`), 'rita’s clone lacks the base');
    writeFileSync(join(clones.erin, path), sentences('Be brief and kind.'));
    review = people.erin.json<ReviewDto>(['review', 'request', path, '-m', 'kinder']);
    assert.equal(review.gitCommit, base, 'the requester sends the commit its HEAD was at');
    assert.equal(review.baseContent, null, 'nothing is published');

    const shown = people.rita.ok(['review', 'show', review.id]);
    const short = base.slice(0, 7);
    const titles = shown.split('\n').filter((l) => l.startsWith('Changes '));
    assert.deepEqual(titles, [
      `Changes against your git's base commit ${short}:`,
      'Changes against the published version (dev):',
    ]);
    const againstBase = section(shown, `Changes against your git's base commit ${short}`);
    assert.ok(againstBase.includes(`  (Fetched base commit ${short} from origin.)`), shown);
    assert.deepEqual(
      againstBase.filter((l) => /^ {2}\S/.test(l) && !l.startsWith('  (')),
      ['  message 1 (system): changed'],
      'one message changed, no field',
    );
    assert.deepEqual(marks(againstBase), ['{+ and kind+}'], shown);
    const againstPublished = section(shown, 'Changes against the published version (dev)');
    assert.ok(againstPublished.includes('  (Nothing is published in dev yet: all of it is new.)'));
    assert.ok(againstPublished.includes('  message 1 (system): added'));
    assert.match(shown, /^Revisions:\n {2}1\. by erin at \S+: kinder$/m);
    git(clones.rita, 'cat-file', '-e', `${base}^{commit}`);

    // Asked again, nothing is fetched.
    assert.doesNotMatch(people.rita.ok(['review', 'show', review.id]), /Fetched base commit/);
  });

  it('revision 2: the default is what changed since revision 1, and both notes are shown', () => {
    writeFileSync(join(clones.erin, path), sentences('Be brief and kind.', 'Ask for the product.'));
    const second = people.erin.json<ReviewDto>(['review', 'request', path, '-m', 'ask, do not guess']);
    assert.equal(second.id, review.id);
    assert.equal(second.revision, 2);

    const shown = people.rita.ok(['review', 'show', review.id]);
    const titles = shown.split('\n').filter((l) => l.startsWith('Changes '));
    assert.equal(titles[0], 'Changes since revision 1:');
    const since = section(shown, 'Changes since revision 1');
    assert.deepEqual(
      marks(since),
      ['[-Never-]', '[-guess-]', '{+Ask+}', '{+for+}'],
      `only revision 2's change: ${since.join('\n')}`,
    );
    const againstBase = section(shown, titles[1].slice(0, -1));
    assert.ok(
      marks(againstBase).some((m) => m.includes('kind')),
      'against the base commit both changes show',
    );
    assert.match(shown, /^Revisions:\n {2}1\. by erin at \S+: kinder\n {2}2\. by erin at \S+: ask, do not guess$/m);
  });

  it('a base commit the remote does not have either: said, and the other comparisons are still shown', () => {
    writeFileSync(join(clones.erin, 'NOTES.md'), 'local only\n');
    git(clones.erin, 'add', 'NOTES.md');
    git(clones.erin, 'commit', '-qm', 'local notes, never pushed');
    const local = git(clones.erin, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(clones.erin, path), sentences('Be brief, kind and quick.', 'Ask for the product.'));
    const third = people.erin.json<ReviewDto>(['review', 'request', path, '-m', 'quick']);
    assert.equal(third.gitCommit, local);

    const shown = people.rita.ok(['review', 'show', review.id]);
    assert.match(
      shown,
      new RegExp(
        `^\\(Base commit ${local.slice(0, 7)} is not in your clone \\(not found by fetching origin\\)\\.\\)$`,
        'm',
      ),
    );
    assert.deepEqual(
      shown.split('\n').filter((l) => l.startsWith('Changes ')),
      ['Changes since revision 2:', 'Changes against the published version (dev):'],
    );
  });

  it('a prompt committed locally before asking: the base is the commit before that change', () => {
    const before = git(clones.erin, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(clones.erin, path), sentences('Be brief, kind and quick.', 'Ask for the product and plan.'));
    git(clones.erin, 'add', path);
    git(clones.erin, 'commit', '-qm', 'quick triage', '--no-verify');
    const r = people.erin.json<ReviewDto>(['review', 'request', path, '-m', 'committed']);
    assert.equal(r.gitCommit, git(clones.erin, 'rev-parse', 'HEAD~1').trim());
    assert.equal(r.gitCommit, before);
  });

  it('a base commit off the shared branch (the requester chose it): said, and the published version opens first', () => {
    // A side branch that already holds a change nobody reviewed, pushed so the reviewer can fetch it.
    git(clones.erin, 'checkout', '-q', '-b', 'side', 'origin/main');
    writeFileSync(join(clones.erin, path), sentences('Be brief.', 'Always refund at once.'));
    git(clones.erin, 'commit', '-qam', 'unreviewed');
    git(clones.erin, 'push', '-q', 'origin', 'side');
    const side = git(clones.erin, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(clones.erin, path), sentences('Be brief and kind.', 'Always refund at once.'));
    const r = people.erin.json<ReviewDto>(['review', 'request', path, '--new', '-m', 'just kinder']);
    assert.equal(r.gitCommit, side);

    const shown = people.rita.ok(['review', 'show', r.id]);
    const titles = shown.split('\n').filter((l) => l.startsWith('Changes '));
    assert.deepEqual(titles, [
      'Changes against the published version (dev):',
      `Changes against your git's base commit ${side.slice(0, 7)}:`,
    ]);
    assert.match(
      shown,
      new RegExp(`Base commit ${side.slice(0, 7)} is not on origin/main: it may itself hold changes nobody reviewed`),
    );
    assert.match(
      shown,
      /Always refund at once\./,
      'the unreviewed sentence is in plain sight against the published version',
    );
    git(clones.erin, 'checkout', '-q', '-f', 'main');
  });
});
