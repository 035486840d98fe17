import type { ReviewChange } from '../store/reviewRecords';
import type { Refusal } from './refusal';

/**
 * A review action decided against the locked state: the store's writes and audit entry,
 * or the refusal that stands in their place (nothing written). changeReviewAs
 * (reviewChange.ts) applies it and answers with the result or the refusal.
 */
export type ReviewDecision<R> = Extract<ReviewChange<R>, { kind: 'apply' }> | { kind: 'refuse'; refusal: Refusal };

export const refused = (refusal: Refusal): { kind: 'refuse'; refusal: Refusal } => ({ kind: 'refuse', refusal });
