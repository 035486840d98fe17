import * as vscode from 'vscode';
import { expiryFrom } from '../../core/expiry';
import type { Action } from '../../core/policy/actions';
import type { CreateApiKeyResponse } from '../../shared/api/apiKeys';
import type { PromptOpsModel } from '../model/promptOpsModel';
import type { Session } from '../session/session';
import { API_KEY_NODE_PREFIX, type AccessTreeDataProvider } from '../views/access/accessTreeDataProvider';
import { InfoNode } from '../views/access/infoNode';
import { apiKeyScopeChoices } from './apiKeyScopeChoices';

/** Scripted arguments (tests); without them each is asked and the token is shown once in a modal. */
export interface CreateApiKeyArgs {
  name: string;
  actions: Action[];
  workspaces?: string[];
  envs?: string[];
  /** `30d` or a date; default the server's (90 days). */
  expires?: string;
}
export type ApiKeyTarget = InfoNode | { id: string };

async function reportFailure(action: string, err: unknown): Promise<undefined> {
  void vscode.window.showErrorMessage(`PromptOps: could not ${action}. ${(err as Error).message}`);
  return undefined;
}

/** Picks among `all`, every one picked at first; all of them (or none) means no limit. */
async function pickSome(title: string, all: string[], picked = true): Promise<string[] | undefined | null> {
  const chosen = await vscode.window.showQuickPick(
    all.map((label) => ({ label, picked })),
    { title, canPickMany: true, ignoreFocusOut: true },
  );
  if (!chosen) return null;
  return chosen.length === 0 || chosen.length === all.length ? undefined : chosen.map((c) => c.label);
}

/** Asks what the key may do, where, and until when: offering only what I may grant. */
async function askScope(model: PromptOpsModel, name: string): Promise<CreateApiKeyArgs | undefined> {
  const choices = apiKeyScopeChoices(model);
  const actions = await pickSome(`PromptOps: What may ${name} do? (only what you may)`, choices.actions, false);
  if (!actions) return undefined;
  const workspaces = await pickSome(`PromptOps: In which workspaces? (all picked: every one)`, choices.workspaces);
  if (workspaces === null) return undefined;
  const envs = await pickSome(`PromptOps: In which envs? (all picked: every one)`, choices.envs);
  if (envs === null) return undefined;
  const expires = await vscode.window.showInputBox({
    title: `PromptOps: ${name} expires in`,
    prompt: 'Days from now (30d) or a date; at most a year',
    value: '90d',
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        expiryFrom(v, Date.now(), 'Expiry');
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  if (!expires) return undefined;
  return { name, actions: actions as Action[], workspaces, envs, expires };
}

export async function createApiKeyCommand(
  model: PromptOpsModel,
  access: AccessTreeDataProvider,
  scripted?: CreateApiKeyArgs,
): Promise<CreateApiKeyResponse | undefined> {
  const name =
    scripted?.name ??
    (await vscode.window.showInputBox({
      title: 'PromptOps: Create API Key',
      prompt: 'A name that says what uses it, e.g. ci-reader or release-bot',
      ignoreFocusOut: true,
    }));
  if (!name) return undefined;
  const args = scripted ?? (await askScope(model, name));
  if (!args?.actions.length) return undefined;
  try {
    const { actions, workspaces, envs } = args;
    const created = await model.session.api().createApiKey({
      name,
      scope: { actions, workspaces, envs },
      expiresAt: expiryFrom(args.expires, Date.now(), 'Expiry'),
    });
    await access.reloadApiKeys();
    if (!scripted) {
      // Shown once, never logged: the server keeps only its hash.
      const copy = 'Copy Token';
      const answer = await vscode.window.showInformationMessage(
        `PromptOps: API key ${name} created. Its token is shown only now:`,
        { modal: true, detail: created.token },
        copy,
      );
      if (answer === copy) await vscode.env.clipboard.writeText(created.token);
    }
    return created;
  } catch (err) {
    if (scripted) throw err;
    return reportFailure(`create the API key ${name}`, err);
  }
}

export async function revokeApiKeyCommand(
  session: Session,
  access: AccessTreeDataProvider,
  target?: ApiKeyTarget,
  options?: { confirmed: boolean },
): Promise<boolean> {
  const id =
    target instanceof InfoNode
      ? target.options.id.slice(API_KEY_NODE_PREFIX.length)
      : (target?.id ??
        (
          await vscode.window.showQuickPick(
            access.loadedApiKeys.map((k) => ({ label: k.name, description: k.createdBy, id: k.id })),
            { title: 'PromptOps: Revoke API Key' },
          )
        )?.id);
  const key = access.loadedApiKeys.find((k) => k.id === id);
  if (!id) return false;
  if (!options?.confirmed) {
    const revoke = 'Revoke';
    const answer = await vscode.window.showWarningMessage(
      `Revoke the API key ${key?.name ?? id}? Whatever uses it stops working on its next request.`,
      { modal: true },
      revoke,
    );
    if (answer !== revoke) return false;
  }
  try {
    await session.api().revokeApiKey(id);
    await access.reloadApiKeys();
    return true;
  } catch (err) {
    if (options) throw err;
    await reportFailure(`revoke the API key ${key?.name ?? id}`, err);
    return false;
  }
}
