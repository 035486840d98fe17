import type { EvaluationRunRecord } from '../../core/eval/evaluationRunTypes';

/** A server evaluation run as the API sends it (`GET`/`POST /api/reviews/:id/evaluations`). */
export interface EvaluationRunDto extends Omit<EvaluationRunRecord, 'createdAt'> {
  createdAt: string;
  /** Whether it is a run of the review's head (its revision and sha256). */
  current: boolean;
}

export interface EvaluationRunListResponse {
  runs: EvaluationRunDto[];
}
