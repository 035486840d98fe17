import type { ReviewLists } from './reviewGroups';

/** Reviews listed before and now whose head moved on (a new revision): their open diffs must show the new head. */
export function changedHeads(previous: ReviewLists | undefined, next: ReviewLists): string[] {
  if (!previous) return [];
  const heads = (lists: ReviewLists) =>
    new Map([...lists.needsMe, ...lists.open, ...lists.closed].map((r) => [r.id, r.reviewedHash]));
  const before = heads(previous);
  return [...heads(next)].filter(([id, head]) => before.has(id) && before.get(id) !== head).map(([id]) => id);
}
