import assert from 'node:assert/strict';
import type { ReviewLists } from '../../../src/extension/model/reviewGroups';
import { reviewNotices } from '../../../src/extension/model/reviewNotifications';
import type { ReviewListItemDto } from '../../../src/shared/api/reviews';

function review(id: string, over: Partial<ReviewListItemDto> = {}): ReviewListItemDto {
  return {
    id,
    path: `prompts/${id}.prompt`,
    name: `p${id}`,
    workspace: 'support',
    env: 'dev',
    status: 'open',
    author: 'alice',
    note: '',
    baseHash: null,
    headHash: 'h',
    reviewedHash: 'h',
    revision: 1,
    gitBranch: null,
    gitCommit: null,
    delivery: null,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    closedAt: null,
    closedBy: null,
    approval: { met: false, approvals: 0, required: 1, approvedBy: [], changesRequestedBy: [] },
    ...over,
  };
}
const approval = (over: Partial<NonNullable<ReviewListItemDto['approval']>>) => ({
  met: false,
  approvals: 0,
  required: 1,
  approvedBy: [],
  changesRequestedBy: [],
  ...over,
});
const lists = (over: Partial<ReviewLists> = {}): ReviewLists => ({ needsMe: [], open: [], closed: [], ...over });

describe('reviewNotices', () => {
  it('says nothing on the first poll', () => {
    assert.deepEqual(reviewNotices(undefined, lists({ needsMe: [review('1', { author: 'carol' })] }), 'bob'), []);
  });

  it('announces a review newly waiting on me, and a new revision of one', () => {
    const r = review('1');
    const before = lists();
    const after = lists({ needsMe: [r], open: [r] });
    assert.deepEqual(
      reviewNotices(before, after, 'bob').map((n) => n.key),
      ['approve:1:1'],
    );
    assert.match(reviewNotices(before, after, 'bob')[0].message, /alice asks for your approval of p1 \(support\/dev\)/);
    assert.deepEqual(reviewNotices(after, after, 'bob'), [], 'no repeat while it keeps waiting');
    const rev2 = review('1', { revision: 2 });
    assert.deepEqual(
      reviewNotices(after, lists({ needsMe: [rev2], open: [rev2] }), 'bob').map((n) => n.key),
      ['approve:1:2'],
    );
  });

  it('tells the author about changes requested, approval and publishing by someone else', () => {
    const open = review('1');
    const before = lists({ open: [open] });
    const changes = review('1', { approval: approval({ changesRequestedBy: ['bob'] }) });
    assert.deepEqual(
      reviewNotices(before, lists({ open: [changes] }), 'alice').map((n) => n.key),
      ['changes:1:1:bob'],
    );
    const met = review('1', { approval: approval({ met: true, approvals: 1, approvedBy: ['bob'] }) });
    assert.deepEqual(
      reviewNotices(before, lists({ open: [met] }), 'alice').map((n) => n.key),
      ['approved:1:1'],
    );
    assert.deepEqual(reviewNotices(before, lists({ open: [met] }), 'bob'), [], 'only the author hears of it');
    const published = review('1', { status: 'published', closedBy: 'carol', approval: undefined });
    assert.deepEqual(
      reviewNotices(lists({ open: [met] }), lists({ closed: [published] }), 'alice').map((n) => n.key),
      ['published:1'],
    );
    const self = review('1', { status: 'published', closedBy: 'alice', approval: undefined });
    assert.deepEqual(reviewNotices(lists({ open: [met] }), lists({ closed: [self] }), 'alice'), [], 'not what I did');
  });
});
