import type { ReviewListItemDto } from '../../shared/api/reviews';

/** The Reviews view's groups, in the order shown. */
export const REVIEW_GROUP_KEYS = [
  'needsMe',
  'changesRequested',
  'readyToPublish',
  'approvedByMe',
  'mine',
  'closed',
] as const;
export type ReviewGroupKey = (typeof REVIEW_GROUP_KEYS)[number];

export const REVIEW_GROUP_LABELS: Record<ReviewGroupKey, string> = {
  needsMe: 'Needs my approval',
  changesRequested: 'Changes requested',
  readyToPublish: 'Ready to publish',
  approvedByMe: 'Approved by me',
  mine: 'My requests',
  closed: 'Recently closed',
};

/** What one poll of the server says: the lists the Reviews view is built from. */
export interface ReviewLists {
  /** Open reviews I may approve now (the server decides, `needsMyApproval=true`). */
  needsMe: readonly ReviewListItemDto[];
  /** Open reviews, newest first, with approval progress. */
  open: readonly ReviewListItemDto[];
  /** Published and withdrawn reviews, newest first. */
  closed: readonly ReviewListItemDto[];
}

export type ReviewGroups = Record<ReviewGroupKey, ReviewListItemDto[]>;

/** Publishing waits for the rule and for every standing change request. */
export function isReadyToPublish(r: ReviewListItemDto): boolean {
  return r.status === 'open' && r.approval?.met === true;
}

export function hasChangesRequested(r: ReviewListItemDto): boolean {
  return r.status === 'open' && (r.approval?.changesRequestedBy.length ?? 0) > 0;
}

/**
 * Each open review in the first group that fits it, so it shows where its state is:
 * waiting on me, changes requested (mine, or asked by me), ready to publish, approved by
 * me and waiting on others, else mine. An approved review never drops out of the tree.
 */
export function groupReviews(lists: ReviewLists, me: string, closedShown = 10): ReviewGroups {
  const groups: ReviewGroups = {
    needsMe: [...lists.needsMe],
    changesRequested: [],
    readyToPublish: [],
    approvedByMe: [],
    mine: [],
    closed: [...lists.closed].slice(0, closedShown),
  };
  const waitingOnMe = new Set(lists.needsMe.map((r) => r.id));
  for (const r of lists.open) {
    if (waitingOnMe.has(r.id)) continue;
    const mine = r.author === me;
    if (hasChangesRequested(r) && (mine || r.approval?.changesRequestedBy.includes(me)))
      groups.changesRequested.push(r);
    else if (isReadyToPublish(r)) groups.readyToPublish.push(r);
    else if (r.approval?.approvedBy.includes(me)) groups.approvedByMe.push(r);
    else if (mine) groups.mine.push(r);
  }
  return groups;
}
