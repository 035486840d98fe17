// Plain data, no Node imports: the shared API types use these too.
import type { VerdictStatus } from './evalResult';

/** One case of a stored run: every run's answer and each evaluator's verdict on it. */
export interface EvaluationCaseOutcome {
  name: string;
  runs: {
    output: string;
    status: VerdictStatus;
    verdicts: { evaluator: string; status: VerdictStatus; detail: string }[];
  }[];
}

/**
 * An evaluation the server ran on one revision of a review, bound to that revision's
 * sha256. `digest` is the sha256 of the canonical JSON of every other field but `id`:
 * the release record carries it, so a release names exactly the run that let it through.
 */
export interface EvaluationRunRecord {
  id: string;
  reviewId: string;
  revision: number;
  /** sha256 of the evaluated content (the revision's head). */
  sha256: string;
  /** Runs per case, and the pass rate required, as the rule said when the run was made. */
  runs: number;
  requiredPassRate: number;
  passedRuns: number;
  judgedRuns: number;
  /** judgedRuns > 0 and passedRuns / judgedRuns reached requiredPassRate. */
  passed: boolean;
  cases: EvaluationCaseOutcome[];
  /** Where the answers came from (the endpoint's redacted description and the model ids). */
  model: string;
  runBy: string;
  createdAt: number;
  digest: string;
}

export type NewEvaluationRun = Omit<EvaluationRunRecord, 'id'>;
