import { mergeReleaseLocks } from '../core/release/mergeReleaseLocks';
import { RELEASE_LOCK_PATH } from '../core/release/releaseLock';
import type { GitRepository } from '../git/gitRepository';
import {
  committerEnv,
  publishCommitMessage,
  publishReview,
  type PublishOptions,
  type PublishOutcome,
} from './publishReview';
import type { PublishPorts } from './publishReview';
import { reportPublishDelivery, type DeliveryReport } from './publishDelivery';
import { syncWithUpstream } from './syncUpstream';
import { withWorktree } from './temporaryWorktree';
import { WorkflowRefusal, type WorkingTree } from './workingTree';

export interface PushPublishPorts extends PublishPorts {
  /** A new empty folder outside the repository for the temporary worktree; `dispose` removes it. */
  tempDir(): Promise<{ path: string; dispose(): Promise<void> }>;
  /** The working tree over a folder (the temporary worktree). */
  openTree(root: string): WorkingTree;
}

export interface PushPublishOptions extends Pick<PublishOptions, 'committer'> {
  remote: string;
  /** The release branch (see core's chooseReleaseBranch). */
  branch: string;
  /** Pushes tried before giving up while others keep publishing; default 4. */
  maxAttempts?: number;
}

/**
 * Where the publish ended up:
 * - `pushed`: on the release branch of the remote (`alreadyThere`: it held this release already);
 * - `pull-request`: the remote refused the release branch (protected); the commit is on a branch
 *   of its own there, and the release waits for that branch to be merged;
 * - `kept`: nothing reached the remote; the commit is kept on a local branch.
 */
export type PushResult =
  | { kind: 'pushed'; commit: string; attempts: number; alreadyThere: boolean }
  | { kind: 'pull-request'; commit: string; ownBranch: string; detail: string }
  | { kind: 'kept'; commit: string; localBranch: string; detail: string };

export interface PushPublishOutcome {
  publish: PublishOutcome;
  remote: string;
  branch: string;
  result: PushResult;
  /** The checked-out release branch was fast-forwarded to the pushed commit (as `sync` does); else why not. */
  localSync: { synced: true } | { synced: false; reason: string } | undefined;
  /** The server was told where the commit went (release branch, or waiting for a merge); undefined when nothing was pushed. */
  delivery: DeliveryReport | undefined;
}

/** The branch a publish of review `id` goes to when the release branch refuses it, and where an unpushed one is kept. */
export function ownPublishBranch(id: string): string {
  return `promptops/publish-${id.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/**
 * `publish <id> --push`: the shared publish flow run in a temporary worktree at the remote's
 * tip of the release branch (the user's working tree is never touched, whatever is checked
 * out), then pushed. When someone else published meanwhile, the publish is replayed on the
 * new tip: the lock merged entry by entry (a clash on the same entry stops), the prompt
 * checked to be unchanged there, prompt and lock committed together, pushed again. A
 * protected release branch gets a branch of its own instead; when nothing can be pushed,
 * the commit stays on a local branch and the outcome says so.
 */
export async function publishAndPush(
  id: string,
  ports: PushPublishPorts,
  options: PushPublishOptions,
): Promise<PushPublishOutcome> {
  const { repo, remote, branch } = { repo: ports.repo, ...options };
  const progress = ports.progress ?? (() => undefined);
  progress(`fetching ${remote}/${branch}…`);
  const tip = await repo.fetchBranch(remote, branch);
  if (!tip)
    throw new WorkflowRefusal(
      `${remote} has no branch ${branch} to publish to; push it first (\`git push -u ${remote} ${branch}\`), ` +
        'or name another as releaseBranch in .promptops/access.yaml. Nothing was changed.',
    );
  const temp = await ports.tempDir();
  let result: PushResult;
  let publish: PublishOutcome;
  try {
    const first = await withWorktree(repo, temp.path, tip, (wt) =>
      publishReview(id, { ...ports, repo: wt, tree: ports.openTree(wt.root) }, { committer: options.committer }),
    );
    publish = first;
    result = await pushToReleaseBranch(
      repo,
      { ...options, ownBranch: ownPublishBranch(id), progress },
      { commit: first.commit!, tip },
      (at) => {
        progress(`${remote}/${branch} moved on; replaying the publish on its new tip…`);
        return replay(repo, ports, temp.path, at, first, options);
      },
    );
  } finally {
    await temp.dispose();
  }

  const localSync = await followPushedBranch(repo, result, remote, branch);
  const delivery = await reportPublishDelivery(ports.client, id, result, branch);
  return { publish, remote, branch, result, localSync, delivery };
}

/**
 * The publish commit `ours` (made on `base`) made again on `tip`: the lock merged entry by
 * entry, the prompt set to the approved bytes, which requires that nobody changed it on the
 * branch meanwhile (or that the tip holds the same bytes already). Returns the new commit,
 * or `tip` when it holds this publish already.
 */
async function replay(
  repo: GitRepository,
  ports: PushPublishPorts,
  dir: string,
  at: { base: string; ours: string; tip: string },
  published: PublishOutcome,
  options: PushPublishOptions,
): Promise<string> {
  const { review, release } = published;
  const text = (b: Uint8Array | undefined) => b && new TextDecoder().decode(b);
  const [before, mine, theirs] = await Promise.all(
    [at.base, at.ours, at.tip].map((rev) => repo.filesAt(rev, [review.path, RELEASE_LOCK_PATH])),
  );
  const merged = mergeReleaseLocks(
    text(before.get(RELEASE_LOCK_PATH)),
    text(mine.get(RELEASE_LOCK_PATH)),
    text(theirs.get(RELEASE_LOCK_PATH)),
  );
  if (merged.kind === 'conflict') {
    const c = merged.conflicts[0];
    throw new WorkflowRefusal(
      `${RELEASE_LOCK_PATH}: ${c.path} in ${c.env} was published on ${options.remote}/${options.branch} meanwhile` +
        (c.theirs ? ` (review #${c.theirs.reviewId} by ${c.theirs.publisher})` : '') +
        `, and this publish (review #${review.id}) replaces the same entry; nothing was pushed. ` +
        `Sync (\`promptops sync\`), compare the two, and request review again if yours should still win.`,
    );
  }
  const approved = mine.get(review.path)!;
  const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
    a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b));
  const onTip = theirs.get(review.path);
  if (
    !same(onTip, approved) &&
    !(onTip === undefined ? before.get(review.path) === undefined : same(onTip, before.get(review.path)))
  )
    throw new WorkflowRefusal(
      `${review.path} was changed on ${options.remote}/${options.branch} since this publish began; ` +
        `replaying review #${review.id} would overwrite that change, so nothing was pushed. Sync and look at it first.`,
    );
  return withWorktree(repo, dir, at.tip, async (wt) => {
    const tree = ports.openTree(wt.root);
    await tree.writeFile(review.path, approved);
    await tree.writeFile(RELEASE_LOCK_PATH, new TextEncoder().encode(merged.text));
    const made = await wt.commit(
      [review.path, RELEASE_LOCK_PATH],
      publishCommitMessage(review, release),
      committerEnv(options.committer),
    );
    return made ?? at.tip;
  });
}

/** Where `pushToReleaseBranch` pushes, and the branch of its own it falls back to. */
export interface ReleasePushTarget {
  remote: string;
  branch: string;
  /** The branch a refused push goes to (for a pull request), and where an unpushed commit is kept. */
  ownBranch: string;
  /** Pushes tried before giving up while others keep pushing; default 4. */
  maxAttempts?: number;
  progress: (message: string) => void;
}

/**
 * Pushes `commit` (made on `tip`, the remote's release branch as fetched) to the release
 * branch. When someone else pushed first, `again` makes the same change on the new tip
 * (`base`/`ours`: the tip and commit of the attempt before) and that is pushed instead; a
 * refused push goes to `ownBranch` on the remote; a failing one, or a branch that keeps
 * moving, is kept on `ownBranch` locally.
 */
export async function pushToReleaseBranch(
  repo: GitRepository,
  target: ReleasePushTarget,
  first: { commit: string; tip: string },
  again: (at: { base: string; ours: string; tip: string }) => Promise<string>,
): Promise<PushResult> {
  const { remote, branch, ownBranch } = target;
  let { commit, tip } = first;
  for (let attempts = 1; ; attempts++) {
    if (commit === tip) return { kind: 'pushed', commit, attempts, alreadyThere: true };
    target.progress(`pushing to ${remote}/${branch}…`);
    const pushed = await repo.push(remote, commit, branch);
    if (pushed.kind === 'pushed') return { kind: 'pushed', commit, attempts, alreadyThere: pushed.upToDate };
    if (pushed.kind === 'refused') return pushToOwnBranch(repo, ownBranch, commit, remote, pushed.detail);
    if (pushed.kind === 'failed' || attempts >= (target.maxAttempts ?? 4)) {
      const detail =
        pushed.kind === 'failed' ? pushed.detail : `${remote}/${branch} kept moving (${attempts} attempts)`;
      await repo.setBranch(ownBranch, commit);
      return { kind: 'kept', commit, localBranch: ownBranch, detail };
    }
    // Stale: someone else pushed first.
    const newTip = (await repo.fetchBranch(remote, branch))!;
    commit = await again({ base: tip, ours: commit, tip: newTip });
    tip = newTip;
  }
}

/**
 * The release branch refused the push: the commit goes to the branch `name` of its own on the
 * remote, for a pull request; kept on a local branch of that name when that fails too.
 */
async function pushToOwnBranch(
  repo: GitRepository,
  name: string,
  commit: string,
  remote: string,
  refusal: string,
): Promise<PushResult> {
  await repo.setBranch(name, commit);
  const pushed = await repo.push(remote, commit, name);
  if (pushed.kind === 'pushed') return { kind: 'pull-request', commit, ownBranch: name, detail: refusal };
  return { kind: 'kept', commit, localBranch: name, detail: `${refusal}; ${name}: ${pushed.detail}` };
}

/**
 * After a push to the release branch: the clone's own copy of it, when checked out, is
 * fast-forwarded to what was pushed (as `sync` does); else it says why not. Undefined when
 * nothing reached the branch or another branch is checked out.
 */
export async function followPushedBranch(
  repo: GitRepository,
  result: PushResult,
  remote: string,
  branch: string,
): Promise<PushPublishOutcome['localSync']> {
  if (result.kind !== 'pushed' || (await repo.currentBranch()) !== branch) return undefined;
  try {
    await syncWithUpstream(repo, { remote, branch });
    return { synced: true };
  } catch (err) {
    if (!(err instanceof WorkflowRefusal)) throw err;
    return { synced: false, reason: err.message };
  }
}
