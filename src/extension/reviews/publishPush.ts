import { pullRequestCommands, pullRequestUrl } from '../../core/release/pullRequest';
import type { PushPublishOutcome } from '../../workflows/pushPublish';

/** `promptops.publish.push`: what a publish from the editor does about the remote. */
export type PublishPushSetting = 'ask' | 'always' | 'never';

export const PUBLISH_PUSH_SETTINGS: readonly PublishPushSetting[] = ['ask', 'always', 'never'];

/** The setting's value as read; anything else (a typo in settings.json) counts as the default, `ask`. */
export function publishPushSetting(value: unknown): PublishPushSetting {
  return PUBLISH_PUSH_SETTINGS.includes(value as PublishPushSetting) ? (value as PublishPushSetting) : 'ask';
}

/** `push`: commit on the release branch and push (publishAndPush); `local`: commit here only; `ask`: ask first. */
export type PushDecision = 'push' | 'local' | 'ask';

/**
 * Whether a publish pushes. A caller's explicit choice wins; a clone without the remote has
 * nothing to push to; a scripted caller is never asked (nobody would answer).
 */
export function decidePublishPush(
  setting: PublishPushSetting,
  context: { explicit?: boolean | undefined; scripted: boolean; hasRemote: boolean },
): PushDecision {
  if (context.explicit !== undefined) return context.explicit ? 'push' : 'local';
  if (!context.hasRemote || setting === 'never') return 'local';
  if (setting === 'always') return 'push';
  return context.scripted ? 'local' : 'ask';
}

/** The buttons of the `ask` notification. */
export const PUSH_ANSWER = { push: 'Push', notNow: 'Not now' } as const;

/** The question `ask` puts before publishing; `Not now` publishes on the checked-out branch only. */
export function pushQuestion(
  review: { id: string; name: string; env: string },
  remote: string,
  branch: string,
): string {
  return (
    `PromptOps: publish ${review.name} to ${review.env} (review #${review.id}) and push it to ${remote}/${branch}? ` +
    `Push commits it on ${branch} without touching your working tree; Not now commits it on your checked-out branch only.`
  );
}

/** A button of a notice: open a web page, or copy a command to the clipboard. */
export type NoticeAction = { label: string; open: string } | { label: string; copy: string };

export interface PushNotice {
  level: 'info' | 'warning';
  message: string;
  actions: NoticeAction[];
}

/** What the editor tells after a publish with push: where it landed, and what to do next when it did not. */
export function pushOutcomeNotice(outcome: PushPublishOutcome, remoteUrl: string | undefined): PushNotice {
  const { publish, remote, branch, result } = outcome;
  const what = `${publish.alreadyPublished ? 'Already published' : 'Published'} ${publish.release.name} to ${publish.release.env}`;
  const short = result.commit.slice(0, 8);
  switch (result.kind) {
    case 'pushed': {
      const where = result.alreadyThere
        ? `${remote}/${branch} already holds it (${short}).`
        : result.attempts > 1
          ? `pushed ${short} to ${remote}/${branch}, replayed on its new tip after ${result.attempts - 1} rejected push${result.attempts > 2 ? 'es' : ''} (someone else published meanwhile).`
          : `pushed ${short} to ${remote}/${branch}.`;
      const local = !outcome.localSync
        ? ` Your working tree was not touched; Sync on ${branch} brings the publish in.`
        : outcome.localSync.synced
          ? ` Your ${branch} is up to date with it.`
          : ` Your ${branch} was left as it was: ${outcome.localSync.reason}`;
      return {
        level: outcome.localSync && !outcome.localSync.synced ? 'warning' : 'info',
        message: `PromptOps: ${what}; ${where}${local}`,
        actions: [],
      };
    }
    case 'pull-request': {
      const pr = pullRequestCommands(branch, result.ownBranch, publish.review.id);
      const url = remoteUrl && pullRequestUrl(remoteUrl, branch, result.ownBranch);
      return {
        level: 'warning',
        message:
          `PromptOps: ${what}, but ${remote} refused a push to ${branch}, which is protected (${result.detail}). ` +
          `Pushed ${short} to ${remote}/${result.ownBranch} instead; the release waits for a pull request merging it into ${branch}.` +
          (url ? '' : ` Open it with: ${pr.gh}`),
        actions: [
          ...(url ? [{ label: 'Open Pull Request', open: url }] : []),
          { label: 'Copy gh Command', copy: pr.gh },
        ],
      };
    }
    case 'kept': {
      const command = `git push ${remote} ${result.localBranch}:${branch}`;
      return {
        level: 'warning',
        message:
          `PromptOps: ${what}, but nothing was pushed: ${result.detail}. The publish commit ${short} is kept on your local branch ` +
          `${result.localBranch}; push it with \`${command}\` when you may, or publish again.`,
        actions: [{ label: 'Copy Push Command', copy: command }],
      };
    }
  }
}
