import assert from 'node:assert/strict';
import {
  caseTally,
  gradingRequest,
  gradingVerdict,
  runStatus,
  stringVerdict,
  summarize,
  type CaseResult,
  type EvaluatorVerdict,
  type StringEvaluator,
  type VerdictStatus,
} from '../../../src/core/eval';

const at = { file: 't.tests.yaml', line: 3, column: 5, field: 'evaluators[0]' };

function str(match: StringEvaluator['match'], text: string, ignoreCase = false): StringEvaluator {
  return { kind: 'string', name: match, match, text, ignoreCase, at };
}

describe('evaluators', () => {
  describe('string', () => {
    const cases: [StringEvaluator, string, boolean][] = [
      [str('equals', 'Paris'), 'Paris\n', true],
      [str('equals', 'Paris'), 'paris', false],
      [str('equals', 'Paris', true), 'PARIS', true],
      [str('contains', 'refund'), 'We will send a refund today.', true],
      [str('contains', 'Refund'), 'We will send a refund today.', false],
      [str('contains', 'Refund', true), 'We will send a refund today.', true],
      [str('startsWith', 'Dear'), '  Dear Ann,', true],
      [str('startsWith', 'dear'), 'Dear Ann,', false],
      [str('endsWith', 'Regards'), 'Best Regards\n', true],
      [str('endsWith', 'regards', true), 'Best Regards', true],
      [str('endsWith', 'Regards'), 'Regards, Ann', false],
    ];
    for (const [evaluator, output, passes] of cases) {
      it(`${evaluator.match} ${JSON.stringify(evaluator.text)}${evaluator.ignoreCase ? ' ignoring case' : ''} on ${JSON.stringify(output)}: ${passes ? 'pass' : 'fail'}`, () => {
        const v = stringVerdict(evaluator, {}, output);
        assert.equal(v.status, passes ? 'pass' : 'fail');
        assert.equal(v.score, passes ? 1 : 0);
      });
    }

    it("fills the case's variables into the expected text, and says what it compared", () => {
      const v = stringVerdict(str('contains', '{{ customer.name }}'), { customer: { name: 'Ann' } }, 'Hi Bob');
      assert.equal(v.status, 'fail');
      assert.equal(v.detail, 'does not contain "Ann"');
    });
  });

  describe('model-graded', () => {
    const choices = [
      { choice: 'poor', score: 0 },
      { choice: 'below_average', score: 0.25 },
      { choice: 'average', score: 0.5 },
      { choice: 'excellent', score: 1 },
    ];

    it('takes the choice named last, as whole words, ignoring case; a score above 0 passes', () => {
      assert.deepEqual(gradingVerdict('Reasoning: not poor at all. Verdict: Excellent', choices), {
        passed: true,
        score: 1,
        detail: 'graded "excellent" (score 1)',
      });
      assert.equal(gradingVerdict('below_average', choices).score, 0.25);
      assert.equal(gradingVerdict('It is average.', choices).score, 0.5);
      assert.equal(gradingVerdict('poor', choices).passed, false);
    });

    it('fails an answer that names no choice, quoting it', () => {
      const v = gradingVerdict('I cannot grade this.', choices);
      assert.equal(v.passed, false);
      assert.match(v.detail, /"I cannot grade this\." names none of poor, below_average, average, excellent/);
    });

    it("an llm evaluator's prompt gets the case's variables and {{completion}}", () => {
      const request = gradingRequest(
        {
          kind: 'llm',
          name: 'judge',
          systemPrompt: 'Judge answers to {{input}}.',
          prompt: '<out>{{completion}}</out>',
          choices,
          at,
        },
        { input: 'a joke' },
        'Funny!',
      );
      assert.ok(typeof request !== 'string');
      assert.deepEqual(request.messages, [
        { role: 'system', content: 'Judge answers to a joke.' },
        { role: 'user', content: '<out>Funny!</out>' },
      ]);
    });

    it('a built-in asks for a 1–5 rating; 4 and 5 pass; similarity needs `expected`', () => {
      const similarity = { kind: 'builtin' as const, name: 'sim', uses: 'github/similarity', at };
      const request = gradingRequest(similarity, { input: 'q', expected: 'Paris' }, 'Paris.');
      assert.ok(typeof request !== 'string');
      assert.match(request.messages[0].content, /close in meaning.*single digit from 1 to 5/);
      assert.equal(
        request.messages[1].content,
        '<input>\ninput: q\n</input>\n\n<expected>\nParis\n</expected>\n\n<answer>\nParis.\n</answer>',
      );
      assert.equal(gradingVerdict('4', request.choices).passed, true);
      assert.equal(gradingVerdict('Rating: 3', request.choices).passed, false);
      assert.equal(gradingRequest(similarity, { input: 'q' }, 'x'), 'needs `expected` in the case');
    });
  });

  describe('pass rate', () => {
    const verdict = (status: VerdictStatus): EvaluatorVerdict => ({
      evaluator: 'e',
      kind: 'string',
      status,
      detail: '',
      at,
    });
    const result = (...statuses: VerdictStatus[]): CaseResult => ({
      case: { name: 'c', values: {}, at },
      runs: statuses.map((status) => ({ output: '', verdicts: [verdict(status)], status })),
    });

    it('a run passes when nothing failed and something ran', () => {
      assert.equal(runStatus([verdict('pass'), verdict('skipped')]), 'pass');
      assert.equal(runStatus([verdict('pass'), verdict('fail')]), 'fail');
      assert.equal(runStatus([verdict('skipped')]), 'skipped');
      assert.equal(runStatus([]), 'skipped');
    });

    it('counts passing runs per case; some passing and some failing is flaky', () => {
      assert.deepEqual(caseTally(result('pass', 'fail', 'pass')), { passed: 2, failed: 1, skipped: 0, flaky: true });
      assert.deepEqual(caseTally(result('pass', 'pass')), { passed: 2, failed: 0, skipped: 0, flaky: false });
    });

    it('the rate is passed runs over judged runs; skipped runs count for neither', () => {
      assert.deepEqual(summarize([result('pass', 'fail', 'pass'), result('pass', 'pass', 'pass'), result('skipped')]), {
        passedRuns: 5,
        judgedRuns: 6,
        passRate: 5 / 6,
        passedCases: 1,
        failedCases: 1,
        flakyCases: 1,
        skippedCases: 1,
      });
      assert.equal(summarize([result('skipped')]).passRate, undefined);
      assert.equal(summarize([]).judgedRuns, 0);
    });
  });
});
