import * as vscode from 'vscode';
import type { Action } from '../../core/policy/actions';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { SIGNED_OUT_VERDICT } from '../model/editVerdict';
import { loadPromptIndex } from '../lazyModules';

export interface ExplainedAction {
  action: Action;
  allowed: boolean;
  reason: string;
}

/** What Explain Access shows, also returned to callers (tests). */
export interface AccessExplanation {
  path: string;
  title: string;
  actions: ExplainedAction[];
}

/** "Why can't I edit this?": every decision for the file, each with its sentence. */
export async function explainAccessCommand(
  model: PromptOpsModel,
  target?: vscode.Uri | { path: string },
): Promise<AccessExplanation | undefined> {
  const { PROMPT_ACTIONS } = await loadPromptIndex();
  const uri =
    target instanceof vscode.Uri
      ? target
      : target?.path !== undefined
        ? model.uriOf(target.path)
        : vscode.window.activeTextEditor?.document.uri;
  const path = uri && model.relativePath(uri);
  if (!path) {
    void vscode.window.showInformationMessage('PromptOps: open a file of this repository to explain access to it.');
    return undefined;
  }
  const prompt = model.prompt(path);
  const user = model.session.user;
  const where = prompt
    ? ` (workspace ${prompt.workspace}, env ${prompt.env})`
    : model.isProtected(path)
      ? ' (protected path)'
      : '';
  const who = user ? `${user.username}, org role ${user.role}` : 'not signed in';
  const actions: Action[] = prompt ? [...PROMPT_ACTIONS] : ['prompt.edit'];
  const explained: ExplainedAction[] = actions.map((action) => {
    const d = model.decide(action, path);
    return d
      ? { action, allowed: d.allowed, reason: d.reason }
      : {
          action,
          allowed: action === 'prompt.read',
          reason: action === 'prompt.read' ? 'Anyone with the repository can read it.' : SIGNED_OUT_VERDICT.reason,
        };
  });
  if (!prompt && !model.isProtected(path)) {
    explained.splice(0, explained.length, {
      action: 'prompt.edit',
      allowed: true,
      reason: 'PromptOps does not govern this file: it is neither a prompt nor under a protected path.',
    });
  }
  const explanation: AccessExplanation = { path, title: `${path}${where} — ${who}`, actions: explained };
  const pick = vscode.window.createQuickPick();
  pick.title = `PromptOps: Explain Access — ${explanation.title}`;
  pick.placeholder = 'What you may do with this file, and why';
  pick.items = explained.map((e) => ({
    label: `${e.allowed ? '$(check)' : '$(circle-slash)'} ${e.action}`,
    detail: e.reason,
  }));
  pick.onDidAccept(() => pick.hide());
  pick.onDidHide(() => pick.dispose());
  pick.show();
  return explanation;
}
