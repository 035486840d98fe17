import type { CaseResult, EvaluatorVerdict } from './evalResult';
import { caseInput } from './headEvaluation';
import { caseTally, type EvalSummary } from './passRate';

/** How much of an input or output a row shows: one line, so the table stays readable. */
const SHOWN_CHARS = 160;

/**
 * An evaluation as text, one block per case (input, each run's output, each evaluator's
 * verdict) and the pass rate: what `promptops eval` prints and VS Code's "Evaluate Prompt" shows.
 */
export function caseRows(result: CaseResult, runs: number): string {
  const tally = caseTally(result);
  const at = result.case.at;
  const status = tally.failed > 0 ? 'FAIL' : tally.passed > 0 ? 'PASS' : 'SKIPPED';
  const counts = runs > 1 ? ` ${tally.passed}/${runs} runs passed${tally.flaky ? ' (flaky)' : ''}` : '';
  const lines = [
    `${status} ${result.case.name} (${at.file}:${at.line})${counts}`,
    `  input:  ${clip(caseInput(result.case.values))}`,
  ];
  result.runs.forEach((run, i) => {
    const prefix = runs > 1 ? `  run ${i + 1} ${run.status}: ` : '  ';
    lines.push(`${prefix}output: ${clip(run.output)}`);
    for (const v of run.verdicts) lines.push(`    ${verdictLine(v)}`);
  });
  return `${lines.join('\n')}\n`;
}

function verdictLine(v: EvaluatorVerdict): string {
  const mark = v.status === 'pass' ? '✓' : v.status === 'fail' ? '✗' : '-';
  const where = v.status === 'skipped' ? ` (${v.at.file}:${v.at.line}:${v.at.column} ${v.at.field})` : '';
  return `${mark} ${v.evaluator} [${v.kind}] ${v.status}: ${v.detail}${where}`;
}

/** The closing lines: evaluators that were skipped (located, once each) and the pass rate. */
export function summaryLines(results: readonly CaseResult[], s: EvalSummary, graderHint: string): string {
  const lines: string[] = [''];
  const skipped = skippedEvaluators(results);
  for (const v of skipped) {
    lines.push(
      `skipped: ${v.evaluator} [${v.kind}] at ${v.at.file}:${v.at.line}:${v.at.column} ${v.at.field}: ${v.detail}`,
    );
  }
  if (skipped.some((v) => /no grader model/.test(v.detail))) lines.push(`  (${graderHint} to run them)`);
  if (s.passRate === undefined) {
    lines.push('nothing was judged: every evaluator was skipped');
  } else {
    lines.push(
      `pass rate: ${percent(s.passRate)} (${s.passedRuns}/${s.judgedRuns} runs); cases: ${s.passedCases} passed, ${s.failedCases} failed` +
        `${s.flakyCases ? ` (${s.flakyCases} flaky)` : ''}${s.skippedCases ? `, ${s.skippedCases} not judged` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Each evaluator that was skipped, once, with its first reason. */
export function skippedEvaluators(results: readonly CaseResult[]): EvaluatorVerdict[] {
  const seen = new Map<string, EvaluatorVerdict>();
  for (const r of results)
    for (const run of r.runs)
      for (const v of run.verdicts) {
        const key = `${v.at.file}:${v.at.line}:${v.at.column}`;
        if (v.status === 'skipped' && !seen.has(key)) seen.set(key, v);
      }
  return [...seen.values()];
}

export function percent(rate: number): string {
  return `${(rate * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > SHOWN_CHARS ? `${one.slice(0, SHOWN_CHARS - 1)}…` : one;
}
