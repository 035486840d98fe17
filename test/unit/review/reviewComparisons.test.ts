import * as assert from 'node:assert/strict';
import { planComparisons, type ComparisonInputs } from '../../../src/core/review/reviewComparisons';

const COMMIT = 'abc1234def5678abc1234def5678abc1234def56';
const nothing: ComparisonInputs = {
  revision: 1,
  baseCommit: { state: 'none' },
  published: { env: 'prod', content: null },
};

describe('which comparisons a reviewer is offered, and which first', () => {
  it('revision 1 with nothing published and no base commit: only the published version, saying all of it is new', () => {
    const plan = planComparisons(nothing);
    assert.deepEqual(
      plan.comparisons.map((c) => [c.kind, c.title, c.before, c.notice]),
      [
        [
          'published',
          'Changes against the published version (prod)',
          undefined,
          'Nothing is published in prod yet: all of it is new.',
        ],
      ],
    );
    assert.equal(plan.defaultKind, 'published');
    assert.deepEqual(plan.unavailable, []);
  });

  it('revision 1 with a base commit the reviewer has: that comes first, named by its short id', () => {
    const plan = planComparisons({
      ...nothing,
      baseCommit: { state: 'found', commit: COMMIT, content: 'old' },
      published: { env: 'prod', content: 'published' },
    });
    assert.deepEqual(
      plan.comparisons.map((c) => [c.kind, c.title, c.before]),
      [
        ['baseCommit', "Changes against your git's base commit abc1234", 'old'],
        ['published', 'Changes against the published version (prod)', 'published'],
      ],
    );
    assert.equal(plan.defaultKind, 'baseCommit');
    assert.equal(plan.comparisons[1].notice, undefined);
  });

  it('a fetched base commit says so; one where the file did not exist says all of it is new', () => {
    const plan = planComparisons({
      ...nothing,
      baseCommit: { state: 'found', commit: COMMIT, content: undefined, fetchedFrom: 'origin' },
    });
    assert.equal(
      plan.comparisons[0].notice,
      'Fetched base commit abc1234 from origin. The file does not exist at abc1234: all of it is new.',
    );
  });

  it('revision 2: changes since revision 1 come first, then the base commit, then the published version', () => {
    const plan = planComparisons({
      ...nothing,
      revision: 2,
      previous: { number: 1, content: 'one' },
      baseCommit: { state: 'found', commit: COMMIT, content: 'old' },
    });
    assert.deepEqual(
      plan.comparisons.map((c) => c.title),
      [
        'Changes since revision 1',
        "Changes against your git's base commit abc1234",
        'Changes against the published version (prod)',
      ],
    );
    assert.equal(plan.defaultKind, 'previousRevision');
  });

  it('a base commit not in the clone and an unreadable previous revision are said, not failed on', () => {
    const plan = planComparisons({
      ...nothing,
      revision: 3,
      previousUnavailable: 'the server cannot be reached',
      baseCommit: { state: 'missing', commit: COMMIT, triedFetchFrom: 'origin' },
    });
    assert.deepEqual(
      plan.comparisons.map((c) => c.kind),
      ['published'],
    );
    assert.deepEqual(plan.unavailable, [
      'Revision 2 could not be read: the server cannot be reached.',
      'Base commit abc1234 is not in your clone (not found by fetching origin).',
    ]);
  });

  it('a base commit off the shared branch is offered last, never first, and says why', () => {
    const plan = planComparisons({
      ...nothing,
      baseCommit: { state: 'found', commit: COMMIT, content: 'side', offBranch: 'origin/main' },
    });
    assert.deepEqual(
      plan.comparisons.map((c) => c.kind),
      ['published', 'baseCommit'],
    );
    assert.equal(plan.defaultKind, 'published');
    assert.match(
      plan.comparisons[1].notice ?? '',
      /^Base commit abc1234 is not on origin\/main: it may itself hold changes nobody reviewed/,
    );
  });
});
