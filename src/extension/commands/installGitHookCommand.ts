import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HOOK_MARKER, installPreCommitHook, preCommitHookScript } from '../../cli/preCommitHook';
import type { PromptOpsModel } from '../model/promptOpsModel';

/** Whether the PromptOps pre-commit hook is installed in this repository. */
export async function hasPromptOpsHook(model: PromptOpsModel): Promise<boolean> {
  const repo = await model.repository().repository();
  if (!repo) return false;
  const text = await readFile(join(await repo.hooksDir(), 'pre-commit'), 'utf8').catch(() => '');
  return text.includes(HOOK_MARKER);
}

/**
 * Install Git Hook: the same hook `promptops hooks install` writes (an existing hook is
 * kept and chained). It runs this extension's CLI when it ships one, else `npx promptops`.
 */
export async function installGitHookCommand(
  model: PromptOpsModel,
  extensionPath: string,
  log: vscode.LogOutputChannel,
): Promise<string | undefined> {
  const repo = await model.repository().repository();
  if (!repo) {
    void vscode.window.showErrorMessage('PromptOps: this folder is not a git repository.');
    return undefined;
  }
  const bundledCli = join(extensionPath, 'dist', 'cli.js');
  // `node` from PATH: the extension host's own executable may be Electron, not node.
  const script = preCommitHookScript('node', existsSync(bundledCli) ? bundledCli : undefined);
  try {
    const { outcome, path } = await installPreCommitHook(await repo.hooksDir(), script);
    log.info(`pre-commit hook ${outcome}: ${path}`);
    void vscode.window.showInformationMessage(
      `PromptOps: pre-commit hook ${outcome === 'chained' ? 'installed (your existing hook still runs first)' : outcome}. Commits that change prompts you may not change are refused.`,
    );
    return path;
  } catch (err) {
    void vscode.window.showErrorMessage(`PromptOps: could not install the hook. ${(err as Error).message}`);
    return undefined;
  }
}

/** First time in a repository: offer the hook once (unless turned off in settings). */
export async function offerGitHook(
  model: PromptOpsModel,
  globalState: vscode.Memento,
  extensionPath: string,
  log: vscode.LogOutputChannel,
): Promise<void> {
  if (!vscode.workspace.getConfiguration('promptops').get<boolean>('offerGitHook', true)) return;
  const key = `promptops.hookOffered:${model.root.fsPath}`;
  if (globalState.get<boolean>(key) || (await hasPromptOpsHook(model))) return;
  await globalState.update(key, true);
  const install = 'Install Hook';
  const choice = await vscode.window.showInformationMessage(
    'PromptOps: install the pre-commit hook in this repository? It refuses commits that change prompts or protected files you may not change.',
    install,
    'Not Now',
  );
  if (choice === install) await installGitHookCommand(model, extensionPath, log);
}
