import type { Store } from '../store/store';
import type { ReviewState } from '../store/reviewRecords';
import type { Refusable } from './refusal';
import type { ReviewDecision } from './reviewDecision';

/**
 * Decides and applies an action against the review's locked state (Store.changeReview),
 * answering with the decision's result or its refusal (nothing written); undefined when
 * there is no such review. For the review layer's own multi-step actions (an evaluation
 * run), which answer in refusals rather than HTTP errors.
 */
export async function changeReviewAs<R>(
  store: Store,
  reviewId: string,
  now: number,
  decide: (state: ReviewState) => ReviewDecision<R>,
): Promise<Refusable<R> | undefined> {
  const outcome = await store.changeReview(reviewId, now, decide);
  if (outcome.kind === 'not_found') return undefined;
  if (outcome.kind === 'refused') return { ok: false, refusal: outcome.refusal };
  return { ok: true, value: outcome.result };
}
