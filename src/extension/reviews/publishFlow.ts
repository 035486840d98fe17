import * as vscode from 'vscode';
import type { PromptOpsModel } from '../model/promptOpsModel';
import {
  decidePublishPush,
  publishPushSetting,
  PUSH_ANSWER,
  pushOutcomeNotice,
  pushQuestion,
  type PushNotice,
} from './publishPush';
import type { EditorPublishOutcome, ReviewActions } from './reviewActions';

export interface PublishRequest {
  /** A scripted caller: never asked, errors thrown, no notification. */
  scripted: boolean;
  /** Push or not regardless of `promptops.publish.push`. */
  push?: boolean;
}

/**
 * Publish from the editor (the Publish command and the review panel's button): per
 * `promptops.publish.push`, on the checked-out branch or on the release branch, pushed.
 * With `ask`, the question comes first (a notification, not a modal): pushing commits in a
 * temporary worktree at the remote's tip, while a local publish commits on the checked-out
 * branch, and doing both would leave that branch and the remote with two different commits
 * of one publish. Undefined when the question was dismissed: nothing was done.
 */
export async function publishFromEditor(
  model: PromptOpsModel,
  actions: ReviewActions,
  id: string,
  request: PublishRequest,
): Promise<EditorPublishOutcome | undefined> {
  const setting = publishPushSetting(vscode.workspace.getConfiguration('promptops', model.root).get('publish.push'));
  const target = await model.repository().releaseTarget(model.index?.policy.releaseBranch);
  let decision = decidePublishPush(setting, {
    explicit: request.push,
    scripted: request.scripted,
    hasRemote: target?.remoteUrl !== undefined,
  });
  if (decision === 'ask') {
    const review = await actions.get(id);
    const answer = await vscode.window.showInformationMessage(
      pushQuestion(review, target!.remote, target!.branch),
      PUSH_ANSWER.push,
      PUSH_ANSWER.notNow,
    );
    if (answer === undefined) return undefined;
    decision = answer === PUSH_ANSWER.push ? 'push' : 'local';
  }
  if (decision === 'push' && !target?.remoteUrl)
    throw new Error(
      `This clone has no remote ${target?.remote ?? 'origin'} to push to; publish without pushing, or add the remote.`,
    );
  const outcome = await actions.publish(id, decision === 'push' ? { push: target } : {});
  if (!request.scripted) {
    if (outcome.push) await showNotice(pushOutcomeNotice(outcome.push, target?.remoteUrl));
    else
      void vscode.window.showInformationMessage(
        `PromptOps: published ${outcome.release.name} to ${outcome.release.env} (commit ${outcome.commit?.slice(0, 8)}).`,
      );
  }
  return outcome;
}

/** Shows a notice with its buttons: a page opens in the browser, a command goes to the clipboard. */
export async function showNotice(notice: PushNotice): Promise<void> {
  const show = notice.level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const picked = await show(notice.message, ...notice.actions.map((a) => a.label));
  const action = notice.actions.find((a) => a.label === picked);
  if (!action) return;
  if ('open' in action) await vscode.env.openExternal(vscode.Uri.parse(action.open));
  else {
    await vscode.env.clipboard.writeText(action.copy);
    void vscode.window.showInformationMessage(`PromptOps: copied \`${action.copy}\` to the clipboard.`);
  }
}
