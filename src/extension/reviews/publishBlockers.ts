import type { ReviewDto } from '../../shared/api/reviews';

/**
 * What stands between an open review's head and publishing, each once, in the order a
 * person fixes them: requested changes first (they need a new revision), then the
 * evaluation (a failing one needs a new revision too, which every earlier approval and
 * run stops counting for), then the approvals of the head that will be published.
 * Empty when nothing blocks, and for reviews no longer open.
 */
export function publishBlockers(review: Pick<ReviewDto, 'status' | 'approval' | 'evaluation'>): string[] {
  if (review.status !== 'open') return [];
  const { approval: a, evaluation: e } = review;
  const blockers: string[] = [];
  if (a.changesRequestedBy.length)
    blockers.push(
      `Changes were requested by ${a.changesRequestedBy.join(', ')}: a new revision, or their approval, is needed.`,
    );
  if (e.required && !e.met) blockers.push(e.reason);
  const missing = a.rule.required - a.counted.length;
  if (!a.met && missing > 0) {
    const from = a.rule.from.length ? ` from ${a.rule.from.join(' or ')}` : '';
    blockers.push(
      `${missing} more approval${missing === 1 ? '' : 's'}${from} (${a.counted.length} of ${a.rule.required} so far).`,
    );
  } else if (!a.met && !a.changesRequestedBy.length) blockers.push('The approval rule is not met.');
  return blockers;
}
