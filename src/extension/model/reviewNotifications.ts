import type { ReviewListItemDto } from '../../shared/api/reviews';
import type { ReviewLists } from './reviewGroups';
import { reviewPlacement } from '../../core/review/policyApproval';

/** Something that needs me, once: `key` identifies the event so it is never shown twice. */
export interface ReviewNotice {
  key: string;
  reviewId: string;
  message: string;
}

const where = (r: ReviewListItemDto) => `${r.name} (${reviewPlacement(r)})`;

/**
 * What changed between two polls that needs me: a review newly waiting for my approval,
 * changes requested on my review, my review approved, my review published by someone
 * else. Nothing on the first poll (no "previous"), so a sign-in or a restart is quiet;
 * nothing for what I did myself.
 */
export function reviewNotices(previous: ReviewLists | undefined, next: ReviewLists, me: string): ReviewNotice[] {
  if (!previous) return [];
  const out: ReviewNotice[] = [];
  const waitedBefore = new Set(previous.needsMe.map((r) => `${r.id}:${r.revision}`));
  for (const r of next.needsMe) {
    if (!waitedBefore.has(`${r.id}:${r.revision}`))
      out.push({
        key: `approve:${r.id}:${r.revision}`,
        reviewId: r.id,
        message: `${r.author} asks for your approval of ${where(r)}${r.revision > 1 ? `, revision ${r.revision}` : ''}.`,
      });
  }
  const openBefore = new Map(previous.open.map((r) => [r.id, r]));
  for (const r of next.open) {
    if (r.author !== me) continue;
    const before = openBefore.get(r.id);
    const sameHead = before?.revision === r.revision;
    const askedBefore = new Set(sameHead ? before.approval?.changesRequestedBy : []);
    for (const user of r.approval?.changesRequestedBy ?? []) {
      if (user !== me && !askedBefore.has(user))
        out.push({
          key: `changes:${r.id}:${r.revision}:${user}`,
          reviewId: r.id,
          message: `${user} requested changes on your review of ${where(r)}.`,
        });
    }
    if (r.approval?.met && !(sameHead && before.approval?.met))
      out.push({
        key: `approved:${r.id}:${r.revision}`,
        reviewId: r.id,
        message: `Your review of ${where(r)} is approved and ready to publish.`,
      });
  }
  for (const r of next.closed) {
    if (r.author === me && r.status === 'published' && r.closedBy !== me && openBefore.has(r.id))
      out.push({
        key: `published:${r.id}`,
        reviewId: r.id,
        message: `${r.closedBy ?? 'Someone'} published your change to ${where(r)}.`,
      });
  }
  return out;
}
