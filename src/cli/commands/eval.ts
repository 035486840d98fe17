import { Option, type Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { formatDiagnostic, LocatedError, type Diagnostic } from '../../core/diagnostics';
import type { CaseResult } from '../../core/eval/evalResult';
import { caseRows, skippedEvaluators, summaryLines } from '../../core/eval/evalReportText';
import { evalDatasetPath } from '../../core/eval/evalDatasetPath';
import { caseTally, summarize, type EvalSummary } from '../../core/eval/passRate';
import { parseRunCount } from '../../core/eval/runCount';
import { BUILTIN_ROLES } from '../../core/policy/actions';
import type { Actor } from '../../core/policy/decision';
import { openGitRepository } from '../../git';
import { ChatModelError } from '../../workflows/chatModel';
import { evaluateSuite, GRADER_MODEL_VARIABLE, prepareEval } from '../../workflows/evaluatePrompt';
import { endpointFromEnv, OpenAiChatModel } from '../../workflows/openAiEndpoint';
import { readRunnablePrompt } from '../../workflows/runPrompt';
import { resolveActingUser } from '../actingUser';
import { locatedStep } from '../locatedStep';
import { decidePromptRun } from '../promptRunDecision';

interface EvalOptions {
  runs: string;
  model?: string;
  graderModel?: string;
  json?: boolean;
  user?: string;
  role?: string;
}

/** `promptops eval <file> [--runs N] [--json] [--model id]`: run a prompt's test cases and judge each answer. */
export function register(program: Command): void {
  program
    .command('eval')
    .description(
      "Run a prompt's test cases (its `testData`, and the `<name>.tests.yaml` beside it) on the model endpoint " +
        '`promptops run` uses and judge each answer with the evaluators; prints one row per case and the pass rate, ' +
        'and exits 1 when a case fails. Needs prompt.run, decided as for `promptops run`.',
    )
    .argument('<file>', 'a .prompt, .prompt.yml, .prompty or .prompt.md file')
    .option('--runs <n>', 'run each case n times to see how flaky it is', '1')
    .option('--model <id>', 'the model to run the prompt on instead of its own')
    .option(
      '--grader-model <id>',
      `the model graded evaluators ask (default: ${GRADER_MODEL_VARIABLE}; without one, built-ins are skipped)`,
    )
    .option('--json', 'print JSON for machines')
    .option('--user <name>', 'who is running it')
    .addOption(new Option('--role <role>', 'their org role on the server').choices([...BUILTIN_ROLES]))
    .action(async (file: string, options: EvalOptions) => {
      const runs = parseRunCount(options.runs);
      if (typeof runs === 'string') throw new Error(`eval: --${runs}`);
      const abs = resolve(file);
      if (!existsSync(abs)) throw new Error(`eval: ${file} does not exist`);
      const repo = await openGitRepository(dirname(abs)).catch(() => undefined);
      const shown = (p: string): string => (repo ? relative(repo.root, p).split('\\').join('/') : relative('.', p));
      const path = shown(abs);
      const acting = await resolveActingUser(options, repo);
      const actor: Actor = { username: acting.username, role: acting.role };
      const prompt = locatedStep(
        () => readRunnablePrompt(path, readFileSync(abs, 'utf8')),
        `eval: ${path} has errors; fix them first`,
      );
      const decision = await decidePromptRun('eval', repo, actor, {
        path,
        workspace: prompt.model.workspace,
        env: prompt.model.env,
      });
      if (!decision.allowed) {
        process.stderr.write(
          `promptops eval: ${actor.username} (${actor.role}; by ${acting.source}) may not run ${path} [${decision.rule}]: ${decision.reason}\n`,
        );
        process.exitCode = 1;
        return;
      }
      const datasetAbs = evalDatasetPath(abs);
      const dataset = existsSync(datasetAbs)
        ? { path: shown(datasetAbs), text: readFileSync(datasetAbs, 'utf8') }
        : undefined;
      const suite = locatedStep(
        () => prepareEval(prompt, dataset, options.model),
        (e: LocatedError) =>
          `eval: cannot evaluate ${path} (${e.diagnostics.length} problem(s) above` +
          `${e.diagnostics.some((d) => d.field === 'model') ? '; --model chooses a model' : ''})`,
      );
      for (const w of suite.warnings) process.stderr.write(`promptops eval: ${formatDiagnostic(w)}\n`);
      const graderModel = options.graderModel ?? (process.env[GRADER_MODEL_VARIABLE]?.trim() || undefined);
      const model = options.model ?? prompt.model.model;

      let results: CaseResult[];
      try {
        const chat = new OpenAiChatModel(endpointFromEnv());
        if (!options.json) {
          const cases = `${suite.cases.length} case${suite.cases.length === 1 ? '' : 's'}`;
          process.stderr.write(
            `promptops eval: ${path}: ${cases} × ${runs} run${runs === 1 ? '' : 's'} with ${model ?? '(no model)'} at ${chat.description}\n`,
          );
        }
        results = await evaluateSuite(chat, prompt, suite, {
          runs,
          ...(options.model ? { model: options.model } : {}),
          ...(graderModel ? { graderModel } : {}),
          ...(options.json ? {} : { onCase: (r) => process.stdout.write(caseRows(r, runs)) }),
        });
      } catch (e) {
        if (e instanceof ChatModelError) throw new Error(`eval: ${e.message}`, { cause: e });
        throw e;
      }
      const summary = summarize(results);
      if (options.json)
        process.stdout.write(
          `${JSON.stringify(jsonReport(path, model, runs, graderModel, results, summary, suite.warnings), null, 2)}\n`,
        );
      else
        process.stdout.write(
          summaryLines(results, summary, `give a grader model with --grader-model or ${GRADER_MODEL_VARIABLE}`),
        );
      if (summary.failedCases > 0 || summary.judgedRuns === 0) process.exitCode = 1;
    });
}

function jsonReport(
  path: string,
  model: string | undefined,
  runs: number,
  graderModel: string | undefined,
  results: readonly CaseResult[],
  summary: EvalSummary,
  warnings: readonly Diagnostic[],
): unknown {
  return {
    path,
    model: model ?? null,
    graderModel: graderModel ?? null,
    runs,
    cases: results.map((r) => ({
      name: r.case.name,
      at: r.case.at,
      values: r.case.values,
      ...caseTally(r),
      runs: r.runs,
    })),
    skipped: skippedEvaluators(results).map((v) => ({
      evaluator: v.evaluator,
      kind: v.kind,
      at: v.at,
      reason: v.detail,
    })),
    warnings: warnings.map((w) => ({
      at: { file: w.file, line: w.line, column: w.column },
      field: w.field,
      message: w.message,
    })),
    summary,
  };
}
