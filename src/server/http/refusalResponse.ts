import type { Refusable, Refusal } from '../reviews/refusal';
import type { ReviewDecision } from '../reviews/reviewDecision';
import type { ReviewChange, ReviewState } from '../store/reviewRecords';
import { HttpError } from './httpError';

const STATUS: Record<Refusal['refused'], number> = {
  invalid: 422,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limited: 429,
  unavailable: 503,
  upstream_failed: 502,
};

/** The error a route answers a refusal with: the kind's status, the refusal's code, sentence, field and diagnostics. */
export function httpErrorOf(refusal: Refusal): HttpError {
  return new HttpError(
    STATUS[refusal.refused],
    refusal.code,
    refusal.message,
    refusal.field,
    {},
    refusal.diagnostics,
    refusal.request,
  );
}

/** The value, or its refusal thrown as the route's answer. */
export function orRefused<T>(result: Refusable<T>): T {
  if (!result.ok) throw httpErrorOf(result.refusal);
  return result.value;
}

/** Answers with the refusal when there is one. */
export function throwIfRefused(refusal: Refusal | undefined): void {
  if (refusal) throw httpErrorOf(refusal);
}

/**
 * A review decision as a store transaction other than changeReview takes it (the policy
 * apply's review claim): a refusal becomes the error the store answers with (nothing
 * written). Review actions go through changeReviewAs instead.
 */
export function storeDecision<R>(
  decide: (state: ReviewState) => ReviewDecision<R>,
): (state: ReviewState) => ReviewChange<R> {
  return (state) => {
    const decided = decide(state);
    return decided.kind === 'refuse' ? { kind: 'refuse', error: httpErrorOf(decided.refusal) } : decided;
  };
}
