import * as vscode from 'vscode';
import type { SettledMerges } from '../../workflows/publishDelivery';
import type { SyncOutcome } from '../../workflows/syncUpstream';
import { syncMessage } from './syncMessage';
import { WorkflowRefusal } from '../../workflows/workingTree';
import { isRefusal } from '../server/serverErrors';
import { loadPublishDelivery, loadSyncUpstream } from '../lazyModules';
import type { PromptOpsModel } from '../model/promptOpsModel';

/**
 * Sync (`promptops sync`): fetch the release branch and fast-forward, putting back local
 * changes upstream now holds; a local change that differs is never discarded (refused,
 * naming the files). Scripted callers get the outcome, or the refusal thrown.
 */
export async function syncCommand(
  model: PromptOpsModel,
  options?: { scripted: boolean },
): Promise<(SyncOutcome & { merges: SettledMerges | undefined }) | undefined> {
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
    // Signed in: reviews whose commit waited for a merge and is now on the release branch are reported (as `promptops sync` does).
    const merges =
      model.session.state.kind === 'signedIn'
        ? await (
            await loadPublishDelivery()
          )
            .settleAwaitingMerges(model.session.api(), repo, target.branch, outcome.to)
            .catch(() => undefined)
        : undefined;
    await model.reload();
    if (!scripted)
      void vscode.window.showInformationMessage(
        `PromptOps: ${syncMessage(outcome, target.remote, target.branch)}${mergesMessage(merges, target.branch)}`,
      );
    return { ...outcome, merges };
  } catch (err) {
    await model.reload().catch(() => undefined);
    if (scripted) throw err;
    const show = isRefusal(err) ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void show(`PromptOps: sync: ${(err as Error).message}`);
    return undefined;
  }
}

function mergesMessage(merges: SettledMerges | undefined, branch: string): string {
  if (!merges) return '';
  const parts = [
    merges.settled.length ? ` Merged into ${branch}: review ${merges.settled.map((id) => `#${id}`).join(', ')}.` : '',
    merges.leftForPublisher.length
      ? ` Review ${merges.leftForPublisher.map((m) => `#${m.id}`).join(', ')} reached ${branch}; it shows "waiting for merge" until someone who may publish it syncs.`
      : '',
  ];
  return parts.join('');
}
