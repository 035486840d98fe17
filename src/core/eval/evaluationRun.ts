import type { EvaluationRule } from '../access/accessPolicy';
import { canonicalJson, type CanonicalValue } from '../release/canonicalJson';
import { contentSha256 } from '../release/contentHash';
import type { CaseResult } from './evalResult';
import type { NewEvaluationRun, EvaluationRunRecord } from './evaluationRunSchema';

export type { EvaluationCaseOutcome, EvaluationRunRecord, NewEvaluationRun } from './evaluationRunSchema';
import { summarize } from './passRate';

/** Whether `passedRuns` of `judgedRuns` reach `passRate` (a run with nothing judged proves nothing). */
export function reachesPassRate(passedRuns: number, judgedRuns: number, passRate: number): boolean {
  // Compared in whole numbers, so 2/3 against 0.6667 is decided the same way everywhere.
  return judgedRuns > 0 && passedRuns * 1_000_000 >= Math.round(passRate * 1_000_000) * judgedRuns;
}

/** The record of a finished evaluation, with its digest. */
export function evaluationRun(input: {
  reviewId: string;
  revision: number;
  sha256: string;
  rule: Pick<EvaluationRule, 'passRate' | 'runs'>;
  results: readonly CaseResult[];
  model: string;
  runBy: string;
  createdAt: number;
}): NewEvaluationRun {
  const summary = summarize(input.results);
  const run: Omit<NewEvaluationRun, 'digest'> = {
    reviewId: input.reviewId,
    revision: input.revision,
    sha256: input.sha256,
    runs: input.rule.runs,
    requiredPassRate: input.rule.passRate,
    passedRuns: summary.passedRuns,
    judgedRuns: summary.judgedRuns,
    passed: reachesPassRate(summary.passedRuns, summary.judgedRuns, input.rule.passRate),
    cases: input.results.map((r) => ({
      name: r.case.name,
      runs: r.runs.map((run) => ({
        output: run.output,
        status: run.status,
        verdicts: run.verdicts.map((v) => ({ evaluator: v.evaluator, status: v.status, detail: v.detail })),
      })),
    })),
    model: input.model,
    runBy: input.runBy,
    createdAt: input.createdAt,
  };
  return { ...run, digest: evaluationRunDigest(run) };
}

/** sha256 (hex) of the run's canonical JSON; the pass rate as text, since canonical JSON has only integers. */
export function evaluationRunDigest(run: Omit<NewEvaluationRun, 'digest'>): string {
  const value: CanonicalValue = {
    reviewId: run.reviewId,
    revision: run.revision,
    sha256: run.sha256,
    runs: run.runs,
    requiredPassRate: String(run.requiredPassRate),
    passedRuns: run.passedRuns,
    judgedRuns: run.judgedRuns,
    passed: run.passed,
    cases: run.cases.map((c) => ({
      name: c.name,
      runs: c.runs.map((r) => ({ output: r.output, status: r.status, verdicts: r.verdicts.map((v) => ({ ...v })) })),
    })),
    model: run.model,
    runBy: run.runBy,
    createdAt: run.createdAt,
  };
  return contentSha256(canonicalJson(value));
}

/**
 * The run that lets exactly this head be published under `rule`: made on this revision
 * and this content, passing, with at least the rule's runs and pass rate (the rule may
 * have been tightened since). The newest such run, or undefined.
 */
export function passingRunFor(
  runs: readonly EvaluationRunRecord[],
  head: { revision: number; sha256: string },
  rule: Pick<EvaluationRule, 'passRate' | 'runs'>,
): EvaluationRunRecord | undefined {
  return [...runs]
    .reverse()
    .find(
      (r) =>
        r.revision === head.revision &&
        r.sha256 === head.sha256 &&
        r.passed &&
        r.runs >= rule.runs &&
        reachesPassRate(r.passedRuns, r.judgedRuns, rule.passRate),
    );
}
