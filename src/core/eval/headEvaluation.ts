import type { EvaluationRunRecord } from './evaluationRunSchema';

/** The runs a review's panel shows for its head: the newest of exactly the head, and the newest of an older revision. */
export interface HeadEvaluation<Run> {
  /** The newest run of this revision and content; only it may count. */
  latest: Run | undefined;
  /** The newest run of any other revision (or other content), shown as outdated, never counted. */
  outdated: Run | undefined;
}

/** Splits a review's runs (oldest first) into the newest of the head and the newest outdated one. */
export function headEvaluation<Run extends Pick<EvaluationRunRecord, 'revision' | 'sha256'>>(
  runs: readonly Run[],
  head: { revision: number; sha256: string },
): HeadEvaluation<Run> {
  const ofHead = (r: Run): boolean => r.revision === head.revision && r.sha256 === head.sha256;
  return { latest: runs.findLast(ofHead), outdated: runs.findLast((r) => !ofHead(r)) };
}

/** A case's input as a row shows it: its values as JSON (what `promptops eval` prints). */
export function caseInput(values: Record<string, unknown>): string {
  return JSON.stringify(values);
}
