import * as vscode from 'vscode';
import type { ChatModel } from '../../workflows/chatModel';
import * as run from '../../workflows/runPromptBundle';
import { LanguageModelChat } from './languageModelChat';
import { endpointEnv } from './modelApiKey';

/** The `model` a scripted caller gives to use PROMPTOPS_MODEL_BASE_URL rather than a `vscode.lm` model. */
export const ENDPOINT = 'endpoint';

export interface ChosenModel {
  model: ChatModel;
  /** The id sent: a `vscode.lm` model answers as itself, whatever the prompt names. */
  fixedModel?: string;
}

/**
 * VS Code's chat models when there are any, and the configured endpoint (its key from
 * SecretStorage, else the environment); asks when there is a choice. Run and Evaluate share it.
 */
export async function chooseChatModel(
  wanted: string | undefined,
  secrets: vscode.SecretStorage,
  title: string,
): Promise<ChosenModel | undefined> {
  const endpoint = async (): Promise<ChosenModel> => ({
    model: new run.OpenAiChatModel(run.endpointFromEnv(await endpointEnv(secrets, run.MODEL_API_KEY_VARIABLE))),
  });
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
    { title },
  );
  if (!picked) return undefined;
  return picked.id === ENDPOINT ? endpoint() : lm(available.find((m) => m.id === picked.id)!);
}
