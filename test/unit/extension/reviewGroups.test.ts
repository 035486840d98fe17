import assert from 'node:assert/strict';
import { groupReviews, type ReviewLists } from '../../../src/extension/model/reviewGroups';
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
const ids = (rs: readonly ReviewListItemDto[]) => rs.map((r) => r.id);

describe('groupReviews', () => {
  it('puts each open review in the first group its state fits', () => {
    const waiting = review('1', { author: 'carol' });
    const changes = review('2', { approval: approval({ changesRequestedBy: ['bob'] }) });
    const ready = review('3', { approval: approval({ met: true, approvals: 1, approvedBy: ['bob'] }) });
    const mine = review('4');
    const others = review('5', { author: 'carol' });
    const closed = review('6', { status: 'published', approval: undefined });
    const g = groupReviews(
      lists({ needsMe: [waiting], open: [waiting, changes, ready, mine, others], closed: [closed] }),
      'alice',
    );
    assert.deepEqual(ids(g.needsMe), ['1']);
    assert.deepEqual(ids(g.changesRequested), ['2']);
    assert.deepEqual(ids(g.readyToPublish), ['3']);
    assert.deepEqual(ids(g.mine), ['4']);
    assert.deepEqual(ids(g.approvedByMe), []);
    assert.deepEqual(ids(g.closed), ['6']);
  });

  it('keeps a review the approver approved: ready to publish when the rule is met, else approved by me', () => {
    const met = review('1', { approval: approval({ met: true, approvals: 1, approvedBy: ['bob'] }) });
    const partly = review('2', { approval: approval({ required: 2, approvals: 1, approvedBy: ['bob'] }) });
    const g = groupReviews(lists({ open: [met, partly] }), 'bob');
    assert.deepEqual(ids(g.readyToPublish), ['1']);
    assert.deepEqual(ids(g.approvedByMe), ['2']);
  });

  it('shows a change request to the one who asked, and limits closed reviews', () => {
    const r = review('1', { approval: approval({ changesRequestedBy: ['bob'] }) });
    const closed = Array.from({ length: 12 }, (_, i) => review(`c${i}`, { status: 'withdrawn' }));
    const g = groupReviews(lists({ open: [r], closed }), 'bob', 10);
    assert.deepEqual(ids(g.changesRequested), ['1']);
    assert.equal(g.closed.length, 10);
    assert.deepEqual(ids(groupReviews(lists({ open: [r] }), 'victor').changesRequested), [], 'not for bystanders');
  });
});
