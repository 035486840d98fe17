import assert from 'node:assert/strict';
import type { CaseResult } from '../../../src/core/eval/evalResult';
import {
  evaluationRun,
  evaluationRunDigest,
  passingRunFor,
  reachesPassRate,
  type EvaluationRunRecord,
} from '../../../src/core/eval/evaluationRun';

const at = { file: 'p.prompt.yml', line: 1, column: 1, field: 'testData[0]' };

/** One case run `statuses.length` times, each run judged by one string evaluator. */
function caseResult(statuses: ('pass' | 'fail')[]): CaseResult {
  return {
    case: { name: 'case 1', values: { input: 'hi' }, at },
    runs: statuses.map((status) => ({
      output: status === 'pass' ? 'hello' : 'go away',
      status,
      verdicts: [{ evaluator: 'greets', kind: 'string' as const, status, detail: 'contains "hello"', at }],
    })),
  };
}

const base = {
  reviewId: '7',
  revision: 2,
  sha256: 'a'.repeat(64),
  model: 'gpt at http://127.0.0.1/v1',
  runBy: 'erin',
  createdAt: 1_700_000_000_000,
};

describe('evaluation runs: pass rate, digest and the run that counts', () => {
  it('passes only when the judged runs reach the pass rate', () => {
    assert.equal(reachesPassRate(3, 3, 1), true);
    assert.equal(reachesPassRate(2, 3, 1), false);
    assert.equal(reachesPassRate(2, 3, 0.66), true);
    assert.equal(reachesPassRate(0, 0, 0), false, 'nothing judged proves nothing');
    const flaky = evaluationRun({ ...base, rule: { passRate: 1, runs: 2 }, results: [caseResult(['pass', 'fail'])] });
    assert.deepEqual([flaky.passed, flaky.passedRuns, flaky.judgedRuns], [false, 1, 2]);
  });

  it('digests the canonical result: the same run gives the same digest, any change another', () => {
    const run = evaluationRun({ ...base, rule: { passRate: 1, runs: 1 }, results: [caseResult(['pass'])] });
    assert.match(run.digest, /^[0-9a-f]{64}$/);
    const { digest, ...rest } = run;
    assert.equal(evaluationRunDigest(rest), digest);
    assert.notEqual(evaluationRunDigest({ ...rest, sha256: 'b'.repeat(64) }), digest);
    assert.notEqual(evaluationRunDigest({ ...rest, requiredPassRate: 0.9 }), digest);
  });

  it('counts only a passing run of exactly the head, meeting the rule as it is now', () => {
    const make = (id: string, revision: number, sha256: string, statuses: ('pass' | 'fail')[], runs = 1) => ({
      id,
      ...evaluationRun({ ...base, revision, sha256, rule: { passRate: 1, runs }, results: [caseResult(statuses)] }),
    });
    const head = { revision: 2, sha256: 'a'.repeat(64) };
    const older: EvaluationRunRecord = make('1', 1, 'a'.repeat(64), ['pass']);
    const failing = make('2', 2, 'a'.repeat(64), ['fail']);
    const once = make('3', 2, 'a'.repeat(64), ['pass']);
    assert.equal(passingRunFor([older], head, { passRate: 1, runs: 1 }), undefined, 'same content, older revision');
    assert.equal(passingRunFor([failing], head, { passRate: 1, runs: 1 }), undefined);
    assert.equal(passingRunFor([older, failing, once], head, { passRate: 1, runs: 1 })?.id, '3');
    assert.equal(passingRunFor([once], head, { passRate: 1, runs: 3 }), undefined, 'the rule now asks for more runs');
  });
});
