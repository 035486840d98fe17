import { LocatedError, type Diagnostic } from '../core/diagnostics';
import type { CaseResult, CaseRun, EvaluatorVerdict } from '../core/eval/evalResult';
import type { EvalCase, EvalSuite, Evaluator } from '../core/eval/evalSuite';
import { gradingRequest } from '../core/eval/gradingRequest';
import { gradingVerdict } from '../core/eval/gradingVerdict';
import { runStatus } from '../core/eval/passRate';
import { parseEvalDataset } from '../core/eval/parseEvalDataset';
import { promptEvalSuite } from '../core/eval/promptEvalSuite';
import { stringVerdict } from '../core/eval/stringVerdict';
import { suiteProblems } from '../core/eval/suiteProblems';
import type { ParsedPrompt } from '../core/prompts';
import type { ChatModel } from './chatModel';
import { prepareRun, streamRun } from './runPrompt';

/** The model graded evaluators ask, for `promptops eval` and the server's evaluations. */
export const GRADER_MODEL_VARIABLE = 'PROMPTOPS_EVAL_GRADER_MODEL';

/** How to run an evaluation. */
export interface EvalOptions {
  /** How many times each case runs (flakiness shows as some runs passing and some failing). */
  runs: number;
  /** The model the prompt runs on instead of its own. */
  model?: string;
  /** The model graded evaluators ask; without it built-ins are skipped and `llm` ones use their `modelId`. */
  graderModel?: string;
  /** Told of each case as soon as all its runs are judged. */
  onCase?: (result: CaseResult) => void;
  signal?: AbortSignal;
}

/** A suite ready to run, and what its cases' values will do that their author may not expect. */
export interface PreparedEval extends EvalSuite {
  /** Case values Prompty will read as the start of a message of their own, located at the case. */
  warnings: Diagnostic[];
}

/**
 * The suite for a prompt, shared by `promptops eval` and the extension: the prompt file's
 * own `testData`/`evaluators` plus its `.tests.yaml` dataset when there is one. Throws a
 * LocatedError (file, line, field) for a malformed dataset or evaluator, a case missing a
 * variable, no cases at all, or no model (`model` overrides the prompt's), before any
 * request is made.
 */
export function prepareEval(
  prompt: ParsedPrompt,
  dataset?: { path: string; text: string },
  model?: string,
): PreparedEval {
  const own = promptEvalSuite(prompt);
  const extra = dataset ? parseEvalDataset(dataset.path, dataset.text) : undefined;
  const diagnostics: Diagnostic[] = [...own.diagnostics, ...(extra?.diagnostics ?? [])];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new LocatedError(errors);
  const suite: EvalSuite = {
    cases: [...own.suite.cases, ...(extra?.suite.cases ?? [])],
    evaluators: [...own.suite.evaluators, ...(extra?.suite.evaluators ?? [])],
  };
  // Dataset cases are numbered after the prompt's own, so every name is unique.
  suite.cases = suite.cases.map((c, i) => (/^case \d+$/.test(c.name) ? { ...c, name: `case ${i + 1}` } : c));
  const problems = suiteProblems(prompt, suite);
  if (problems.length) throw new LocatedError(problems);
  if (!suite.cases.length) {
    const where = dataset?.path ?? prompt.path;
    throw new LocatedError([
      {
        file: where,
        line: 1,
        column: 1,
        field: dataset ? 'tests' : 'testData',
        message: 'no test cases: add `testData` to a .prompt.yml, or `tests` to the .tests.yaml beside the prompt',
        severity: 'error',
      },
    ]);
  }
  // Every case renders now, so a nested value a case lacks is found before the first request.
  const warnings = suite.cases.flatMap((c) =>
    prepareRun(prompt, c.values, model).warnings.map((w) => ({
      ...w,
      ...c.at,
      message: `${c.name}: ${w.message}`,
    })),
  );
  return { ...suite, warnings };
}

/** Runs every case `runs` times, one request at a time (endpoints rate-limit), judging each answer. */
export async function evaluateSuite(
  chat: ChatModel,
  prompt: ParsedPrompt,
  suite: EvalSuite,
  options: EvalOptions,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const evalCase of suite.cases) {
    const runs: CaseRun[] = [];
    for (let i = 0; i < options.runs; i++) {
      // A signal that fired between two requests stops the next one before it starts.
      options.signal?.throwIfAborted();
      runs.push(await evaluateCase(chat, prompt, evalCase, suite.evaluators, options));
    }
    const result = { case: evalCase, runs };
    options.onCase?.(result);
    results.push(result);
  }
  return results;
}

/** One run of one case: render with the case's values, ask the model, judge the answer with each evaluator. */
export async function evaluateCase(
  chat: ChatModel,
  prompt: ParsedPrompt,
  evalCase: EvalCase,
  evaluators: readonly Evaluator[],
  options: Pick<EvalOptions, 'model' | 'graderModel' | 'signal'>,
): Promise<CaseRun> {
  const { request } = prepareRun(prompt, evalCase.values, options.model);
  const output = await streamRun(chat, request, () => undefined, options.signal);
  const verdicts: EvaluatorVerdict[] = [];
  for (const evaluator of evaluators) verdicts.push(await judge(chat, evaluator, evalCase, output, options));
  return { output, verdicts, status: runStatus(verdicts) };
}

async function judge(
  chat: ChatModel,
  evaluator: Evaluator,
  evalCase: EvalCase,
  output: string,
  options: Pick<EvalOptions, 'graderModel' | 'signal'>,
): Promise<EvaluatorVerdict> {
  if (evaluator.kind === 'string') return stringVerdict(evaluator, evalCase.values, output);
  const base = { evaluator: evaluator.name, kind: evaluator.kind, at: evaluator.at };
  const model = options.graderModel ?? (evaluator.kind === 'llm' ? evaluator.modelId : undefined);
  if (!model) return { ...base, status: 'skipped', detail: 'no grader model configured' };
  const grading = gradingRequest(evaluator, evalCase.values, output);
  if (typeof grading === 'string') return { ...base, status: 'skipped', detail: grading };
  const answer = await streamRun(
    chat,
    { model, messages: grading.messages, parameters: {} },
    () => undefined,
    options.signal,
  );
  const outcome = gradingVerdict(answer, grading.choices);
  return { ...base, status: outcome.passed ? 'pass' : 'fail', score: outcome.score, detail: outcome.detail };
}
