import type { Refusable, Refusal } from '../reviews/refusal';
import type { ReviewOutcome } from '../store/reviewRecords';
import { HttpError, notFound } from './httpError';

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

/** What a review action returned; its refusal (nothing was written), or 404 for no such review, thrown as the route's answer. */
export function changedOrRefused<R>(outcome: ReviewOutcome<R, Refusal>): R {
  if (outcome.kind === 'not_found') throw notFound('Review');
  if (outcome.kind === 'refused') throw httpErrorOf(outcome.refusal);
  return outcome.result;
}
