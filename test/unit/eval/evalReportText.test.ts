import assert from 'node:assert/strict';
import { caseRows, summaryLines } from '../../../src/core/eval/evalReportText';
import type { CaseResult, CaseRun, EvaluatorVerdict } from '../../../src/core/eval/evalResult';
import { summarize } from '../../../src/core/eval/passRate';
import { parseRunCount } from '../../../src/core/eval/runCount';

const caseAt = { file: 'p/greeting.tests.yaml', line: 2, column: 5, field: 'tests[0]' };
const evaluatorAt = { file: 'p/greeting.tests.yaml', line: 7, column: 5, field: 'evaluators[0]' };

function verdict(status: EvaluatorVerdict['status'], detail: string, kind: EvaluatorVerdict['kind'] = 'string') {
  return { evaluator: 'names them', kind, status, detail, at: evaluatorAt };
}
function runOf(output: string, ...verdicts: EvaluatorVerdict[]): CaseRun {
  const status = verdicts.some((v) => v.status === 'fail') ? 'fail' : 'pass';
  return { output, verdicts, status };
}
function result(...runs: CaseRun[]): CaseResult {
  return { case: { name: 'ann', values: { name: 'Ann' }, at: caseAt }, runs };
}

describe('evaluation report text (promptops eval and VS Code Evaluate Prompt)', () => {
  it('one block per case: status, where the case is written, its input, the output and each verdict', () => {
    const text = caseRows(result(runOf('Hello   Ann!\n', verdict('pass', 'contains "Ann"'))), 1);
    assert.equal(
      text,
      'PASS ann (p/greeting.tests.yaml:2)\n' +
        '  input:  {"name":"Ann"}\n' +
        '  output: Hello Ann!\n' +
        '    ✓ names them [string] pass: contains "Ann"\n',
    );
  });

  it('with several runs each run is its own row and a case that passed only sometimes is called flaky', () => {
    const text = caseRows(
      result(runOf('Hello Ann', verdict('pass', 'ok')), runOf('Hi', verdict('fail', 'no "Ann"'))),
      2,
    );
    assert.match(text, /^FAIL ann \(p\/greeting\.tests\.yaml:2\) 1\/2 runs passed \(flaky\)$/m);
    assert.match(text, /^ {2}run 2 fail: output: Hi$/m);
    assert.match(text, /^ {4}✗ names them \[string\] fail: no "Ann"$/m);
  });

  it('a long output is clipped to one line', () => {
    const text = caseRows(result(runOf('word '.repeat(100), verdict('pass', 'ok'))), 1);
    const output = /^ {2}output: (.*)$/m.exec(text)![1];
    assert.equal(output.length, 160);
    assert.ok(output.endsWith('…'));
  });

  it('the pass rate, and a skipped evaluator located once with the hint for a grader', () => {
    const skipped = verdict('skipped', 'no grader model configured', 'builtin');
    const results = [
      result(runOf('Hello Ann', verdict('pass', 'ok'), skipped)),
      result(runOf('Hi', verdict('fail', 'x'))),
    ];
    const text = summaryLines(results, summarize(results), 'set THE_GRADER');
    assert.equal(
      text,
      '\nskipped: names them [builtin] at p/greeting.tests.yaml:7:5 evaluators[0]: no grader model configured\n' +
        '  (set THE_GRADER to run them)\n' +
        'pass rate: 50% (1/2 runs); cases: 1 passed, 1 failed\n',
    );
  });

  it('nothing judged says so rather than a pass rate', () => {
    const results = [{ ...result(), runs: [{ output: 'x', verdicts: [], status: 'skipped' as const }] }];
    assert.match(
      summaryLines(results, summarize(results), 'hint'),
      /^nothing was judged: every evaluator was skipped$/m,
    );
  });
});

describe('runs count', () => {
  it('a whole number from 1 to 100', () => {
    assert.equal(parseRunCount('3'), 3);
    assert.equal(parseRunCount(' 100 '), 100);
  });
  for (const bad of ['0', '101', '2.5', 'three', '', '-1'])
    it(`refuses ${JSON.stringify(bad)} saying what is allowed`, () => {
      assert.equal(parseRunCount(bad), `runs must be a whole number from 1 to 100, got ${JSON.stringify(bad)}`);
    });
});
