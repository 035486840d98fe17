import type { CaseResult, EvaluatorVerdict, VerdictStatus } from './evalResult';

/** A run passes when no evaluator failed and at least one ran; with none run it proves nothing (skipped). */
export function runStatus(verdicts: readonly EvaluatorVerdict[]): VerdictStatus {
  if (verdicts.some((v) => v.status === 'fail')) return 'fail';
  return verdicts.some((v) => v.status === 'pass') ? 'pass' : 'skipped';
}

/** How one case did over its runs. Flaky: some runs passed and some failed. */
export interface CaseTally {
  passed: number;
  failed: number;
  skipped: number;
  flaky: boolean;
}

export function caseTally(result: CaseResult): CaseTally {
  const count = (s: VerdictStatus): number => result.runs.filter((r) => r.status === s).length;
  const passed = count('pass');
  const failed = count('fail');
  return { passed, failed, skipped: count('skipped'), flaky: passed > 0 && failed > 0 };
}

/** The suite's result: runs that passed out of runs that were judged, and the cases behind them. */
export interface EvalSummary {
  passedRuns: number;
  judgedRuns: number;
  /** passedRuns / judgedRuns; undefined when nothing was judged (every evaluator skipped). */
  passRate?: number;
  /** Cases whose every judged run passed. */
  passedCases: number;
  failedCases: number;
  flakyCases: number;
  /** Cases with no run judged. */
  skippedCases: number;
}

export function summarize(results: readonly CaseResult[]): EvalSummary {
  const summary: EvalSummary = {
    passedRuns: 0,
    judgedRuns: 0,
    passedCases: 0,
    failedCases: 0,
    flakyCases: 0,
    skippedCases: 0,
  };
  for (const result of results) {
    const tally = caseTally(result);
    summary.passedRuns += tally.passed;
    summary.judgedRuns += tally.passed + tally.failed;
    if (tally.failed > 0) summary.failedCases++;
    else if (tally.passed > 0) summary.passedCases++;
    else summary.skippedCases++;
    if (tally.flaky) summary.flakyCases++;
  }
  if (summary.judgedRuns > 0) summary.passRate = summary.passedRuns / summary.judgedRuns;
  return summary;
}
