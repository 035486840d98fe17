import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  HOOK_MARKER,
  installPreCommitHook,
  preCommitHookScript,
  type HookInstallOutcome,
} from '../../git/hooks/preCommitHook';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { registerSigningKeyCommand } from './registerSigningKeyCommand';

/** The PromptOps pre-commit hook's text in this repository; undefined when it is not ours (or absent). */
async function ourHook(model: PromptOpsModel): Promise<string | undefined> {
  const repo = await model.repository().repository();
  if (!repo) return undefined;
  const text = await readFile(join(await repo.hooksDir(), 'pre-commit'), 'utf8').catch(() => '');
  return text.includes(HOOK_MARKER) ? text : undefined;
}

/** Whether the PromptOps pre-commit hook is installed in this repository. */
export async function hasPromptOpsHook(model: PromptOpsModel): Promise<boolean> {
  return (await ourHook(model)) !== undefined;
}

/**
 * The hook this extension writes: its own CLI (dist/cli.js, shipped in the .vsix) run by
 * the extension host's executable (VS Code's Electron runs as node in the hook), so it
 * works in any repository, with no node or `promptops` on PATH.
 */
function extensionHookScript(extensionPath: string): string {
  const bundledCli = join(extensionPath, 'dist', 'cli.js');
  return preCommitHookScript(process.execPath, existsSync(bundledCli) ? bundledCli : undefined);
}

/**
 * Install Git Hook: the same hook `promptops hooks install` writes (an existing hook is
 * kept and chained), running the CLI this extension ships. Then, when git signs with a key
 * the signed-in user has not registered, offers to register it (the hook knows them by it).
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
  let installed: { outcome: HookInstallOutcome; path: string };
  try {
    installed = await installPreCommitHook(await repo.hooksDir(), extensionHookScript(extensionPath));
    log.info(`pre-commit hook ${installed.outcome}: ${installed.path}`);
  } catch (err) {
    void vscode.window.showErrorMessage(`PromptOps: could not install the hook. ${(err as Error).message}`);
    return undefined;
  }
  void tellInstalled(model, installed.outcome);
  return installed.path;
}

/**
 * "Installed", and the offer to register the signing key the hook knows the user by: one
 * notification when there is an offer (its first question opens with the news), the news
 * alone when there is none. Not awaited by the command: an offer waits for its answer.
 */
async function tellInstalled(model: PromptOpsModel, outcome: HookInstallOutcome): Promise<void> {
  const news = `pre-commit hook ${outcome === 'chained' ? 'installed (your existing hook still runs first)' : outcome}.`;
  const preface = { text: news, shown: false };
  // Its own failures are shown by it; the news is said either way.
  await registerSigningKeyCommand(model, { offer: true, preface }).catch(() => undefined);
  if (!preface.shown)
    void vscode.window.showInformationMessage(
      `PromptOps: ${news} Commits that change prompts you may not change are refused.`,
    );
}

/**
 * Our hook names a CLI file that is gone (this extension was updated into a new folder, or
 * node_modules was reinstalled): point it at the CLI this extension ships now, quietly.
 */
async function refreshStaleHook(model: PromptOpsModel, extensionPath: string, log: vscode.LogOutputChannel) {
  const text = await ourHook(model);
  const cli = text && /^PROMPTOPS_CLI='(.*)'$/m.exec(text)?.[1];
  if (!text || cli === undefined || (cli !== '' && existsSync(cli))) return;
  const script = extensionHookScript(extensionPath);
  if (script === text) return;
  const repo = await model.repository().repository();
  if (!repo) return;
  await installPreCommitHook(await repo.hooksDir(), script);
  log.info(`pre-commit hook: pointed at this extension's CLI (it named ${cli || 'none'})`);
}

/**
 * First time in a repository, once signed in (the hook refuses the commits of someone it
 * cannot identify, so offering it before is offering a dead end): offer the hook once,
 * unless turned off in settings. An installed hook whose CLI is gone is repaired.
 */
export function offerGitHookWhenSignedIn(
  model: PromptOpsModel,
  globalState: vscode.Memento,
  extensionPath: string,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  void refreshStaleHook(model, extensionPath, log).catch((err: unknown) =>
    log.warn(`pre-commit hook: could not refresh it: ${(err as Error).message}`),
  );
  const signedIn = () => model.session.state.kind === 'signedIn';
  if (signedIn()) {
    void offerGitHook(model, globalState, extensionPath, log);
    return new vscode.Disposable(() => undefined);
  }
  const waiting = model.session.onDidChange(() => {
    if (!signedIn()) return;
    waiting.dispose();
    void offerGitHook(model, globalState, extensionPath, log);
  });
  return waiting;
}

async function offerGitHook(
  model: PromptOpsModel,
  globalState: vscode.Memento,
  extensionPath: string,
  log: vscode.LogOutputChannel,
): Promise<void> {
  if (!vscode.workspace.getConfiguration('promptops').get<boolean>('offerGitHook', true)) return;
  if (await hasPromptOpsHook(model)) {
    // Installed already (by `promptops hooks install`, or earlier): the hook knows this user
    // by their signing key, so offer to register it, once per user and repository.
    const offered = `promptops.signingKeyOffered:${model.root.fsPath}:${model.session.user?.username ?? ''}`;
    if (globalState.get<boolean>(offered)) return;
    await globalState.update(offered, true);
    await registerSigningKeyCommand(model, { offer: true });
    return;
  }
  const key = `promptops.hookOffered:${model.root.fsPath}`;
  if (globalState.get<boolean>(key)) return;
  await globalState.update(key, true);
  const install = 'Install Hook';
  const choice = await vscode.window.showInformationMessage(
    'PromptOps: install the pre-commit hook in this repository? It refuses commits that change prompts or protected files you may not change.',
    install,
    'Not Now',
  );
  if (choice === install) await installGitHookCommand(model, extensionPath, log);
}
