import type { EvalSuite } from './evalSuite';

/**
 * The model calls one evaluation of `suite` may make: each case `runs` times, one call for
 * the answer and one per model-graded evaluator (string evaluators make none).
 */
export function evaluationCalls(suite: EvalSuite, runs: number): number {
  const graded = suite.evaluators.filter((e) => e.kind !== 'string').length;
  return suite.cases.length * runs * (1 + graded);
}

/**
 * How long the server lets one evaluation run take: one model timeout per call. The
 * endpoint's timeout only bounds each wait (a stream that keeps talking never trips
 * it), so this is the bound on the whole run, and what a client waiting for it allows.
 */
export function evaluationBudgetMs(calls: number, modelTimeoutMs: number): number {
  return Math.max(1, calls) * modelTimeoutMs;
}
