import type { EvalCase, Evaluator, SourceLocation } from './evalSuite';
import type { VerdictStatus } from './evaluationRunSchema';

export type { VerdictStatus };

/** One evaluator's judgement of one answer, with why (the comparison, the grader's choice, or why it did not run). */
export interface EvaluatorVerdict {
  evaluator: string;
  kind: Evaluator['kind'];
  status: VerdictStatus;
  detail: string;
  /** 0–1: 1 or 0 for string evaluators, the matched choice's score for graded ones. */
  score?: number;
  at: SourceLocation;
}

/** One run of one case: the model's answer and every evaluator's verdict on it. */
export interface CaseRun {
  output: string;
  verdicts: EvaluatorVerdict[];
  /** pass when no evaluator failed and at least one ran; skipped when none ran. */
  status: VerdictStatus;
}

/** A case run `runs` times: how many runs passed shows how flaky it is. */
export interface CaseResult {
  case: EvalCase;
  runs: CaseRun[];
}
