import type { ApiErrorCode, ApiRequestDto, DiagnosticDto } from '../../shared/api/errors';

/**
 * Why the review layer will not do something, in its own terms: what kind of "no" it is,
 * the error code and sentence the caller sees, and the field or located problems when
 * there are some. Routes answer with it (http/refusalResponse.ts maps the kind to a status).
 */
export interface Refusal {
  refused: 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'limited' | 'unavailable' | 'upstream_failed';
  code: ApiErrorCode;
  message: string;
  field?: string;
  diagnostics?: DiagnosticDto[];
  /** The request that lifts the refusal, for API clients (e.g. run the evaluation). */
  request?: ApiRequestDto;
}

/** A result, or the refusal that stands in its place. */
export type Refusable<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export const refusal = (
  refused: Refusal['refused'],
  code: ApiErrorCode,
  message: string,
  extra: Pick<Refusal, 'field' | 'diagnostics' | 'request'> = {},
): Refusal => ({ refused, code, message, ...extra });

/** What a review the caller may not read, or that is not there, looks like to them: the same answer. */
export const REVIEW_NOT_FOUND: Refusal = refusal('not_found', 'not_found', 'Review not found.');

/** A refused decision as a refusal (its reason is the sentence), or nothing when it allows. */
export function deniedBy(decision: { allowed: boolean; reason: string }, lead = ''): Refusal | undefined {
  return decision.allowed ? undefined : refusal('forbidden', 'forbidden', lead + decision.reason);
}
