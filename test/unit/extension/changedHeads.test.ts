import assert from 'node:assert/strict';
import { changedHeads } from '../../../src/extension/model/changedHeads';
import type { ReviewLists } from '../../../src/extension/model/reviewGroups';
import type { ReviewListItemDto } from '../../../src/shared/api/reviews';

/** What changes with a revision is the reviewed hash (prompt and dataset), even when the prompt's own hash does not. */
const item = (id: string, reviewedHash: string) => ({ id, headHash: 'same', reviewedHash }) as ReviewListItemDto;
const lists = (open: ReviewListItemDto[], closed: ReviewListItemDto[] = []): ReviewLists => ({
  needsMe: [],
  open,
  closed,
});

describe('changedHeads: which reviews got a new revision between two polls', () => {
  it('names a review whose head moved on, also one that moved between groups, and nothing on the first poll', () => {
    assert.deepEqual(changedHeads(undefined, lists([item('1', 'a')])), []);
    assert.deepEqual(
      changedHeads(lists([item('1', 'a'), item('2', 'b')]), lists([item('1', 'a2'), item('3', 'c')], [item('2', 'b')])),
      ['1'],
    );
  });
});
