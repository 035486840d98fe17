import type { Store } from '../store/store';
import type { ReviewChange, ReviewState } from '../store/reviewRecords';
import type { Refusable, Refusal } from './refusal';
import type { ReviewDecision } from './reviewDecision';

/** Carries a decision's refusal out of the store's transaction (which answers a refusal by throwing its error). */
class RefusedInTransaction extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

/**
 * Decides and applies an action against the review's locked state (Store.changeReview),
 * answering with the decision's result or its refusal (nothing written); undefined when
 * there is no such review. Keeps the review layer free of the HTTP layer's errors.
 */
export async function changeReviewAs<R>(
  store: Store,
  reviewId: string,
  now: number,
  decide: (state: ReviewState) => ReviewDecision<R>,
): Promise<Refusable<R> | undefined> {
  try {
    const result = await store.changeReview(reviewId, now, (state): ReviewChange<{ value: R }> => {
      const decided = decide(state);
      if (decided.kind === 'refuse') return { kind: 'refuse', error: new RefusedInTransaction(decided.refusal) };
      return { ...decided, result: (after) => ({ value: decided.result(after) }) };
    });
    return result && { ok: true, value: result.value };
  } catch (err) {
    if (err instanceof RefusedInTransaction) return { ok: false, refusal: err.refusal };
    throw err;
  }
}
