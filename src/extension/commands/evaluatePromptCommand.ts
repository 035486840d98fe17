import * as vscode from 'vscode';
import type { EvalSummary } from '../../core/eval/passRate';
import * as run from '../../workflows/runPromptBundle';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { chooseChatModel } from '../run/chooseChatModel';
import { runOutputChannel } from '../run/runOutputChannel';
import { runRefusal } from '../run/runRefusal';

/** Scripted callers (tests) give the runs count and the model choice instead of answering prompts. */
export interface EvaluatePromptArgs {
  path?: string;
  /** `endpoint` for PROMPTOPS_MODEL_BASE_URL, else the id of a `vscode.lm` chat model. */
  model?: string;
  runs?: number;
}

export type EvaluatePromptResult =
  /** `warnings`: case values Prompty read as the start of a message of their own (also in the report). */
  | { kind: 'evaluated'; model: string; runs: number; summary: EvalSummary; report: string; warnings: string[] }
  | { kind: 'refused'; reason: string }
  | { kind: 'failed'; message: string }
  | { kind: 'cancelled' };

/**
 * "Evaluate Prompt": `promptops eval` in VS Code. The same suite (the prompt's `testData`
 * and the `.tests.yaml` beside it), runs and verdicts (src/workflows/evaluatePrompt), one
 * row per case written to the "PromptOps Run" channel as each case is judged, then the pass rate.
 */
export async function evaluatePromptCommand(
  model: PromptOpsModel,
  lazy: vscode.Disposable[],
  secrets: vscode.SecretStorage,
  args: EvaluatePromptArgs = {},
): Promise<EvaluatePromptResult> {
  const uri = args.path !== undefined ? model.uriOf(args.path) : vscode.window.activeTextEditor?.document.uri;
  const path = uri && model.relativePath(uri);
  const refusal = runRefusal(model, path);
  if (refusal || !uri || !path) return refuse(refusal!);

  const abort = new AbortController();
  try {
    // What the editors show, saved or not, is what is evaluated.
    const prompt = run.readRunnablePrompt(path, await textOf(uri));
    const datasetUri = uri.with({ path: run.evalDatasetPath(uri.path) });
    const datasetText = await datasetTextOf(datasetUri);
    const dataset =
      datasetText === undefined ? undefined : { path: model.relativePath(datasetUri)!, text: datasetText };
    const chat = await chooseChatModel(args.model, secrets, 'Evaluate with which model?');
    if (!chat) return { kind: 'cancelled' };
    const suite = run.prepareEval(prompt, dataset, chat.fixedModel);
    const runs = args.runs ?? (await askRuns(path));
    if (runs === undefined) return { kind: 'cancelled' };
    // A VS Code model the user picked grades too, unless a grader is configured.
    const graderModel = process.env[run.GRADER_MODEL_VARIABLE]?.trim() || chat.fixedModel;
    const modelName = chat.fixedModel ?? prompt.model.model ?? '(no model)';

    const channel = runOutputChannel(lazy);
    let report = '';
    const write = (text: string) => {
      report += text;
      channel.append(text);
    };
    channel.clear();
    channel.show(true);
    const cases = suite.cases.length;
    write(`▶ evaluate ${path}: ${cases} case(s) × ${runs} run(s) with ${modelName} at ${chat.model.description}\n`);
    const warnings = suite.warnings.map((w) => `${w.file}:${w.line} ${w.message}`);
    for (const w of warnings) write(`⚠ ${w}\n`);
    const results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `PromptOps: evaluating ${path}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        let judged = 0;
        return run.evaluateSuite(chat.model, prompt, suite, {
          runs,
          signal: abort.signal,
          ...(chat.fixedModel ? { model: chat.fixedModel } : {}),
          ...(graderModel ? { graderModel } : {}),
          onCase: (result) => {
            write(run.caseRows(result, runs));
            progress.report({ message: `${++judged}/${cases} cases`, increment: 100 / cases });
          },
        });
      },
    );
    const summary = run.summarize(results);
    write(run.summaryLines(results, summary, `set ${run.GRADER_MODEL_VARIABLE} or pick a VS Code chat model`));
    return { kind: 'evaluated', model: modelName, runs, summary, report, warnings };
  } catch (e) {
    if (abort.signal.aborted) return { kind: 'cancelled' };
    // A LocatedError's message is already its `file:line:col field: message` lines.
    const message = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`PromptOps: cannot evaluate ${path}: ${message}`);
    return { kind: 'failed', message };
  }
}

async function textOf(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

/** The dataset as the editor has it when there are unsaved edits, else from disk; undefined when there is none. */
async function datasetTextOf(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
    throw e;
  }
}

async function askRuns(path: string): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    title: `Evaluate ${path}`,
    prompt: 'How many times to run each case (more runs show how flaky it is)',
    value: '1',
    ignoreFocusOut: true,
    validateInput: (text) => {
      const runs = run.parseRunCount(text);
      return typeof runs === 'string' ? runs : undefined;
    },
  });
  if (answer === undefined) return undefined;
  const runs = run.parseRunCount(answer);
  return typeof runs === 'number' ? runs : undefined;
}

function refuse(reason: string): EvaluatePromptResult {
  void vscode.window.showWarningMessage(`PromptOps: ${reason}`);
  return { kind: 'refused', reason };
}
