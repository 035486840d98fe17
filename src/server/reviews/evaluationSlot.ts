import type { EvaluationRule } from '../../core/access/accessPolicy';
import type { ReviewState, ReviewWrite } from '../store/reviewRecords';
import type { Store } from '../store/store';
import { headEvaluationBudgetMs } from './reviewEvaluation';

/** How long a run whose budget ran out may take to be stored before its slot stops counting. */
export const SLOT_STORE_GRACE_MS = 60_000;

/**
 * The write reserving a run of the head, taken in the transaction that checks the cap
 * (evaluationCapRefusal) before any model call, so runs started at one moment cannot all
 * pass it. The slot lives for the run's budget (evaluateReviewHead aborts there) plus
 * SLOT_STORE_GRACE_MS: a run that errors frees it at once (freeEvaluationSlot), and one
 * whose process died stops counting then, so a crash does not spend the revision's runs
 * for good. Null when no run could start (a head that does not read, no endpoint):
 * evaluateReviewHead refuses those without calling a model.
 */
export function evaluationSlotWrite(
  state: ReviewState,
  rule: Pick<EvaluationRule, 'runs'>,
  modelEnv: NodeJS.ProcessEnv,
  runBy: string,
  now: number,
): ReviewWrite | null {
  const budgetMs = headEvaluationBudgetMs(state, rule, modelEnv);
  if (budgetMs === null) return null;
  return {
    kind: 'evaluationSlot',
    revision: state.review.revision,
    runBy,
    expiresAt: now + budgetMs + SLOT_STORE_GRACE_MS,
  };
}

/** The slot the transaction that wrote evaluationSlotWrite took: the review's newest (its row was locked). */
export function takenSlot(after: ReviewState): string {
  return after.evaluationSlots[after.evaluationSlots.length - 1].id;
}

/**
 * Gives back the slot of a run that stored nothing. A failure here only means the slot
 * counts until it expires, so it never hides the run's own error.
 */
export async function freeEvaluationSlot(store: Store, reviewId: string, slot: string, now: number): Promise<void> {
  await store
    .changeReview(reviewId, now, () => ({
      kind: 'apply',
      writes: [{ kind: 'freeEvaluationSlot', slot }],
      audit: null,
      result: () => undefined,
    }))
    .catch(() => undefined);
}
