import type { GitRepository } from '../git/gitRepository';
import type { PublishOptions } from './publishReview';
import {
  followPushedBranch,
  pushToReleaseBranch,
  type PushPublishOutcome,
  type PushPublishPorts,
  type PushResult,
} from './pushPublish';
import { withWorktree } from './temporaryWorktree';
import { unpublishPrompt, type UnpublishOutcome, type UnpublishPorts } from './unpublishPrompt';
import { WorkflowRefusal } from './workingTree';

export type UnpublishPushPorts = UnpublishPorts & Pick<PushPublishPorts, 'tempDir' | 'openTree'>;

export interface UnpublishPushOptions extends Pick<PublishOptions, 'committer'> {
  remote: string;
  /** The release branch (see core's chooseReleaseBranch). */
  branch: string;
  /** Pushes tried before giving up while others keep pushing; default 4. */
  maxAttempts?: number;
}

export interface UnpublishPushOutcome {
  unpublish: UnpublishOutcome;
  remote: string;
  branch: string;
  result: PushResult;
  localSync: PushPublishOutcome['localSync'];
}

/**
 * The branch an unpublish goes to when the release branch refuses it, and where an unpushed
 * one is kept: one path component git accepts (no `/`, no `..`), whatever the file is called.
 */
export function ownUnpublishBranch(path: string, env: string): string {
  const part = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_').replace(/\.{2,}/g, '_');
  return `promptops/unpublish-${part(env)}-${part(path)}`;
}

/**
 * `unpublish <path> --env E --push`: the shared unpublish flow run in a temporary worktree at
 * the remote's tip of the release branch (the working tree is never touched), then pushed.
 * When someone pushed first, it is simply done again on the new tip: the server returns
 * the same signed record, and the flow itself refuses a tip whose lock holds a newer
 * release of the path. A protected release branch gets a branch of its own; when nothing
 * can be pushed, the commit stays on a local branch.
 */
export async function unpublishAndPush(
  path: string,
  env: string,
  ports: UnpublishPushPorts,
  options: UnpublishPushOptions,
): Promise<UnpublishPushOutcome> {
  const { remote, branch } = options;
  const repo: GitRepository = ports.repo;
  const progress = ports.progress ?? (() => undefined);
  progress(`fetching ${remote}/${branch}…`);
  const tip = await repo.fetchBranch(remote, branch);
  if (!tip)
    throw new WorkflowRefusal(
      `${remote} has no branch ${branch} to unpublish on; name the release branch as releaseBranch in .promptops/access.yaml. Nothing was changed.`,
    );
  const temp = await ports.tempDir();
  let unpublish: UnpublishOutcome;
  let result: PushResult;
  try {
    const unpublishAt = (at: string) =>
      withWorktree(repo, temp.path, at, (wt) =>
        unpublishPrompt(
          path,
          env,
          { ...ports, repo: wt, tree: ports.openTree(wt.root) },
          { committer: options.committer },
        ),
      );
    const first = await unpublishAt(tip);
    unpublish = first;
    result = await pushToReleaseBranch(
      repo,
      { ...options, ownBranch: ownUnpublishBranch(path, env), progress },
      { commit: first.commit!, tip },
      async (at) => {
        progress(`${remote}/${branch} moved on; unpublishing again on its new tip…`);
        // The server answers "already" now: this run is still the one that unpublished.
        unpublish = { ...(await unpublishAt(at.tip)), alreadyUnpublished: first.alreadyUnpublished };
        return unpublish.commit!;
      },
    );
  } finally {
    await temp.dispose();
  }
  const localSync = await followPushedBranch(repo, result, remote, branch);
  return { unpublish, remote, branch, result, localSync };
}
