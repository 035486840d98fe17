import * as vscode from 'vscode';
import type { SyncOutcome } from '../../workflows/syncUpstream';
import { syncMessage } from './syncMessage';
import { WorkflowRefusal } from '../../workflows/workingTree';
import { loadSyncUpstream } from '../lazyModules';
import type { PromptOpsModel } from '../model/promptOpsModel';

/**
 * Sync (`promptops sync`): fetch the release branch and fast-forward, putting back local
 * changes upstream now holds; a local change that differs is never discarded (refused,
 * naming the files). Scripted callers get the outcome, or the refusal thrown.
 */
export async function syncCommand(
  model: PromptOpsModel,
  options?: { scripted: boolean },
): Promise<SyncOutcome | undefined> {
  const scripted = options?.scripted ?? false;
  try {
    const repo = await model.repository().repository();
    if (!repo) throw new WorkflowRefusal('This folder is not a git repository; there is nothing to sync.');
    const target = await model.repository().releaseTarget(model.index?.policy.releaseBranch);
    if (!target?.remoteUrl)
      throw new WorkflowRefusal(`This clone has no remote ${target?.remote ?? 'origin'} to sync with.`);
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && model.relativePath(d.uri) !== undefined);
    if (dirty.length > 0)
      throw new WorkflowRefusal(
        `save or revert your unsaved changes first (${dirty.map((d) => model.relativePath(d.uri)).join(', ')}); nothing was changed.`,
      );
    const { syncWithUpstream } = await loadSyncUpstream();
    const outcome = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Syncing ${target.branch} with ${target.remote}/${target.branch}`,
        cancellable: false,
      },
      (progress) => syncWithUpstream(repo, target, (message) => progress.report({ message })),
    );
    await model.reload();
    if (!scripted)
      void vscode.window.showInformationMessage(`PromptOps: ${syncMessage(outcome, target.remote, target.branch)}`);
    return outcome;
  } catch (err) {
    await model.reload().catch(() => undefined);
    if (scripted) throw err;
    const show = err instanceof WorkflowRefusal ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void show(`PromptOps: sync: ${(err as Error).message}`);
    return undefined;
  }
}
