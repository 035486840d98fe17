import * as vscode from 'vscode';
import { ACTIONS, type Action } from '../../core/policy/actions';
import type { CreateApiKeyResponse } from '../../shared/api/apiKeys';
import type { Session } from '../session/session';
import { API_KEY_NODE_PREFIX, type AccessTreeDataProvider } from '../views/access/accessTreeDataProvider';
import { InfoNode } from '../views/access/infoNode';

/** Scripted arguments (tests); without them the name and actions are asked and the token is shown in a modal. */
export interface CreateApiKeyArgs {
  name: string;
  actions: Action[];
}
export type ApiKeyTarget = InfoNode | { id: string };

async function reportFailure(action: string, err: unknown): Promise<undefined> {
  void vscode.window.showErrorMessage(`PromptOps: could not ${action}. ${(err as Error).message}`);
  return undefined;
}

export async function createApiKeyCommand(
  session: Session,
  access: AccessTreeDataProvider,
  args?: CreateApiKeyArgs,
): Promise<CreateApiKeyResponse | undefined> {
  const name =
    args?.name ??
    (await vscode.window.showInputBox({
      title: 'PromptOps: Create API Key',
      prompt: 'A name that says what uses it, e.g. ci-reader or release-bot',
      ignoreFocusOut: true,
    }));
  if (!name) return undefined;
  const actions =
    args?.actions ??
    (
      await vscode.window.showQuickPick(
        ACTIONS.map((a) => ({ label: a })),
        { title: `PromptOps: What may ${name} do? (never more than you may)`, canPickMany: true, ignoreFocusOut: true },
      )
    )?.map((p) => p.label);
  if (!actions?.length) return undefined;
  try {
    const created = await session.api().createApiKey({ name, scope: { actions } });
    await access.reloadApiKeys();
    if (!args) {
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
    if (args) throw err;
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
