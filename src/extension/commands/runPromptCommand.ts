import * as vscode from 'vscode';
import type { ChatMessage } from '../../core/run/chatMessage';
import * as run from '../../workflows/runPromptBundle';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { chooseChatModel } from '../run/chooseChatModel';
import { runOutputChannel } from '../run/runOutputChannel';
import { runRefusal } from '../run/runRefusal';

/** Scripted callers (tests) give the values and the model choice instead of answering input boxes. */
export interface RunPromptArgs {
  path?: string;
  values?: Record<string, string>;
  /** `endpoint` for PROMPTOPS_MODEL_BASE_URL, else the id of a `vscode.lm` chat model. */
  model?: string;
}

export type RunPromptResult =
  /** `warnings`: values Prompty read as the start of a message of their own (also in the output). */
  | { kind: 'answered'; model: string; messages: ChatMessage[]; answer: string; warnings: string[] }
  | { kind: 'refused'; reason: string }
  | { kind: 'failed'; message: string }
  | { kind: 'cancelled' };

/**
 * "Run Prompt": the same checks and rendering as `promptops run` (src/workflows/runPrompt),
 * variables from input boxes, the answer streamed into the "PromptOps Run" output channel.
 */
export async function runPromptCommand(
  model: PromptOpsModel,
  lazy: vscode.Disposable[],
  secrets: vscode.SecretStorage,
  args: RunPromptArgs = {},
): Promise<RunPromptResult> {
  const uri = args.path !== undefined ? model.uriOf(args.path) : vscode.window.activeTextEditor?.document.uri;
  const path = uri && model.relativePath(uri);
  const refusal = runRefusal(model, path);
  if (refusal || !uri || !path) return refuse(refusal!);

  // What the editor shows, saved or not, is what runs.
  const text = (await vscode.workspace.openTextDocument(uri)).getText();
  try {
    const prompt = run.readRunnablePrompt(path, text);
    const values: Record<string, string> = { ...args.values };
    for (const input of run.promptInputs(prompt)) {
      if (Object.hasOwn(values, input.name)) continue;
      if (args.values) {
        if (input.default === undefined) continue; // scripted: let rendering name what is missing
        values[input.name] = input.default;
        continue;
      }
      const value = await vscode.window.showInputBox({
        title: `Run ${path}`,
        prompt: `Value for \`${input.name}\``,
        placeHolder: input.placeholder,
        value: input.default,
        ignoreFocusOut: true,
      });
      if (value === undefined) return { kind: 'cancelled' };
      values[input.name] = value;
    }
    const chat = await chooseChatModel(args.model, secrets, 'Run with which model?');
    if (!chat) return { kind: 'cancelled' };
    const { request, warnings } = run.prepareRun(prompt, values, chat.fixedModel);
    const channel = runOutputChannel(lazy);
    channel.clear();
    channel.show(true);
    for (const w of warnings) channel.appendLine(`⚠ ${w.message}`);
    channel.appendLine(`▶ ${path} with ${request.model} at ${chat.model.description}`);
    const answer = await run.streamRun(chat.model, request, (piece) => channel.append(piece));
    channel.appendLine('');
    return {
      kind: 'answered',
      model: request.model,
      messages: request.messages,
      answer,
      warnings: warnings.map((w) => w.message),
    };
  } catch (e) {
    // A LocatedError's message is already its `file:line:col field: message` lines.
    const message = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`PromptOps: cannot run ${path}: ${message}`);
    return { kind: 'failed', message };
  }
}

function refuse(reason: string): RunPromptResult {
  void vscode.window.showWarningMessage(`PromptOps: ${reason}`);
  return { kind: 'refused', reason };
}
