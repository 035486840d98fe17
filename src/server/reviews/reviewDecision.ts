import type { ReviewChange } from '../store/reviewRecords';
import type { Refusal } from './refusal';

/**
 * A review action decided against the locked state: the store's writes and audit entry,
 * or the refusal that stands in their place (nothing written), which the store hands
 * back as the outcome and the route answers with (http/refusalResponse.ts `changedOrRefused`).
 */
export type ReviewDecision<R> = ReviewChange<R, Refusal>;

export const refused = (refusal: Refusal): { kind: 'refuse'; refusal: Refusal } => ({ kind: 'refuse', refusal });
