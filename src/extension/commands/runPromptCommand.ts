import * as vscode from 'vscode';
import type { ChatMessage } from '../../core/run/chatMessage';
import type { ChatModel } from '../../workflows/chatModel';
import { loadRunPrompt } from '../lazyModules';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { LanguageModelChat } from '../run/languageModelChat';

/** Scripted callers (tests) give the values and the model choice instead of answering input boxes. */
export interface RunPromptArgs {
  path?: string;
  values?: Record<string, string>;
  /** `endpoint` for PROMPTOPS_MODEL_BASE_URL, else the id of a `vscode.lm` chat model. */
  model?: string;
}

export type RunPromptResult =
  | { kind: 'answered'; model: string; messages: ChatMessage[]; answer: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'failed'; message: string }
  | { kind: 'cancelled' };

const ENDPOINT = 'endpoint';

/**
 * "Run Prompt": the same checks and rendering as `promptops run` (src/workflows/runPrompt),
 * variables from input boxes, the answer streamed into the "PromptOps Run" output channel.
 */
export async function runPromptCommand(
  model: PromptOpsModel,
  lazy: vscode.Disposable[],
  args: RunPromptArgs = {},
): Promise<RunPromptResult> {
  const uri = args.path !== undefined ? model.uriOf(args.path) : vscode.window.activeTextEditor?.document.uri;
  const path = uri && model.relativePath(uri);
  if (!uri || !path) return refuse('open a prompt file of this repository to run it.');
  const decision = model.decide('prompt.run', path);
  if (!decision) return refuse('sign in to run prompts.');
  if (!decision.allowed) return refuse(`${decision.reason} (${decision.rule})`);

  const run = await loadRunPrompt();
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
    const chat = await chooseModel(args.model, run);
    if (!chat) return { kind: 'cancelled' };
    const { request } = run.prepareRun(prompt, values, chat.fixedModel);
    const channel = outputChannel(lazy);
    channel.clear();
    channel.show(true);
    channel.appendLine(`▶ ${path} with ${request.model} at ${chat.model.description}`);
    const answer = await run.streamRun(chat.model, request, (piece) => channel.append(piece));
    channel.appendLine('');
    return { kind: 'answered', model: request.model, messages: request.messages, answer };
  } catch (e) {
    // dist/run.js has its own copy of LocatedError: its message is already `file:line:col field: message` lines.
    const message = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`PromptOps: cannot run ${path}: ${message}`);
    return { kind: 'failed', message };
  }
}

export interface ChosenModel {
  model: ChatModel;
  /** The id sent: a `vscode.lm` model answers as itself, whatever the prompt names. */
  fixedModel?: string;
}

/** VS Code's chat models when there are any, and the configured endpoint; asks when there is a choice. */
export async function chooseModel(
  wanted: string | undefined,
  run: Awaited<ReturnType<typeof loadRunPrompt>>,
): Promise<ChosenModel | undefined> {
  const endpoint = (): ChosenModel => ({ model: new run.OpenAiChatModel(run.endpointFromEnv()) });
  if (wanted === ENDPOINT) return endpoint();
  const available = typeof vscode.lm?.selectChatModels === 'function' ? await vscode.lm.selectChatModels() : [];
  const lm = (m: vscode.LanguageModelChat): ChosenModel => ({ model: new LanguageModelChat(m), fixedModel: m.id });
  if (wanted !== undefined) {
    const found = available.find((m) => m.id === wanted);
    if (!found) throw new Error(`no VS Code chat model with id ${wanted}`);
    return lm(found);
  }
  if (available.length === 0) return endpoint();
  const picked = await vscode.window.showQuickPick(
    [
      ...available.map((m) => ({ label: m.name, description: `${m.vendor} · ${m.family}`, id: m.id })),
      { label: 'OpenAI-compatible endpoint', description: run.MODEL_BASE_URL_VARIABLE, id: ENDPOINT },
    ],
    { title: 'Run with which model?' },
  );
  if (!picked) return undefined;
  return picked.id === ENDPOINT ? endpoint() : lm(available.find((m) => m.id === picked.id)!);
}

let channel: vscode.OutputChannel | undefined;

function outputChannel(lazy: vscode.Disposable[]): vscode.OutputChannel {
  if (!channel) {
    channel = vscode.window.createOutputChannel('PromptOps Run');
    lazy.push(channel, new vscode.Disposable(() => (channel = undefined)));
  }
  return channel;
}

function refuse(reason: string): RunPromptResult {
  void vscode.window.showWarningMessage(`PromptOps: ${reason}`);
  return { kind: 'refused', reason };
}
