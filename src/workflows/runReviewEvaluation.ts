import { isNoAnswerInTime, type PromptOpsClient } from '../client/promptOpsClient';
import type { EvaluationRunDto } from '../shared/api/evaluations';

/** What came of asking the server to evaluate a review's head. */
export type ReviewEvaluationOutcome =
  | { kind: 'ran'; run: EvaluationRunDto }
  /** No answer in time: the server may still finish and store the run; `message` says so. */
  | { kind: 'no-answer'; waitedMs: number; message: string };

/** The margin, beyond the server's budget for the model calls, for reading and storing the run. */
const STORE_MARGIN_MS = 15_000;
const ORDINARY_REQUEST_MS = 30_000;

/**
 * How long a client waits for a review's evaluation: the server's own budget for the run
 * (`evaluation.budgetMs`) and a margin, never less than an ordinary request.
 */
export function evaluationWaitMs(budgetMs: number | null): number {
  return budgetMs === null ? ORDINARY_REQUEST_MS : Math.max(ORDINARY_REQUEST_MS, budgetMs + STORE_MARGIN_MS);
}

/**
 * Runs the review's evaluation on the server (`promptops review evaluate` and the panel's
 * Run evaluation button), waiting as long as the server lets the run take. When no answer
 * comes in time the run is not failed: the server carries on and stores it if it finishes.
 */
export async function runReviewEvaluation(
  client: PromptOpsClient,
  id: string,
  progress: (message: string) => void = () => undefined,
): Promise<ReviewEvaluationOutcome> {
  const review = await client.getReview(id);
  const waitedMs = evaluationWaitMs(review.evaluation.budgetMs);
  progress(
    `Running the evaluation of review #${id}, revision ${review.revision}, on the server (up to ${Math.round(waitedMs / 1000)} s)…`,
  );
  try {
    return { kind: 'ran', run: await client.runEvaluation(id, waitedMs) };
  } catch (err) {
    if (!isNoAnswerInTime(err)) throw err;
    return {
      kind: 'no-answer',
      waitedMs,
      message: `The server did not answer within ${Math.round(waitedMs / 1000)} s. The evaluation of review #${id} may still finish on the server; its run then shows in the review.`,
    };
  }
}
