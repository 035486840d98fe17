import assert from 'node:assert/strict';
import type { EvalSuite, Evaluator } from '../../../src/core/eval/evalSuite';
import { evaluationBudgetMs, evaluationCalls } from '../../../src/core/eval/evaluationBudget';
import { evaluationWaitMs } from '../../../src/workflows/runReviewEvaluation';

const at = { file: 'p.prompt.yml', line: 1, column: 1 };
const suite = (cases: number, evaluators: Evaluator['kind'][]): EvalSuite =>
  ({
    cases: Array.from({ length: cases }, (_, i) => ({ name: `case ${i + 1}`, values: {}, at })),
    evaluators: evaluators.map((kind, i) => ({ kind, name: `e${i}`, at })),
  }) as unknown as EvalSuite;

describe('the evaluation budget', () => {
  it('counts one call per case run for the answer, and one per model-graded evaluator; string ones are free', () => {
    assert.equal(evaluationCalls(suite(1, ['string']), 2), 2);
    assert.equal(evaluationCalls(suite(3, ['string', 'llm', 'builtin']), 2), 3 * 2 * 3);
  });

  it('allows one model timeout per call', () => {
    assert.equal(evaluationBudgetMs(6, 60_000), 360_000);
    assert.equal(evaluationBudgetMs(0, 300), 300, 'never nothing');
  });

  it('a client waits the budget and a margin for storing the run, never less than an ordinary request', () => {
    assert.equal(evaluationWaitMs(360_000), 375_000);
    assert.equal(evaluationWaitMs(600), 30_000);
    assert.equal(evaluationWaitMs(null), 30_000);
  });
});
