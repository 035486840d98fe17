import { contentSha256 } from '../core/release/contentHash';
import { parseReleaseLock, RELEASE_LOCK_PATH } from '../core/release/releaseLock';
import { planUpstreamSync, type SyncPlan } from '../core/release/upstreamSync';
import type { GitRepository } from '../git/gitRepository';
import { WorkflowRefusal } from './workingTree';

export interface SyncTarget {
  remote: string;
  /** The release branch; sync runs only while it is checked out. */
  branch: string;
}

export interface SyncOutcome {
  /** HEAD before and after; equal when there was nothing to fast-forward. */
  from: string;
  to: string;
  /** Each local change a fast-forward meets, with its verdict; `reset` were put back to HEAD first. */
  plan: SyncPlan;
}

/**
 * `promptops sync`: fetch the release branch and fast-forward to it. A local change whose
 * bytes upstream now holds (typically the drafter's own, published by someone else) is put
 * back to HEAD first, so the fast-forward can run and brings the same bytes back; a local
 * change that differs from upstream is never discarded: sync refuses, naming the files,
 * and changes nothing. The decision is core's `planUpstreamSync`, which the Prompts view
 * uses for `published upstream`.
 */
export async function syncWithUpstream(
  repo: GitRepository,
  target: SyncTarget,
  progress: (message: string) => void = () => undefined,
): Promise<SyncOutcome> {
  const { remote, branch } = target;
  const current = await repo.currentBranch();
  if (current !== branch)
    throw new WorkflowRefusal(
      `sync fast-forwards ${branch}, the release branch, but ${current ? `${current} is` : 'no branch is'} checked out; ` +
        `run \`git checkout ${branch}\` first. Nothing was changed.`,
    );
  progress(`fetching ${remote}/${branch}…`);
  const tip = await repo.fetchBranch(remote, branch);
  if (!tip) throw new WorkflowRefusal(`${remote} has no branch ${branch}; nothing to sync with.`);
  const head = await repo.head();
  const empty = { verdicts: [], reset: [], blocking: [] };
  if (head === tip) return { from: tip, to: tip, plan: empty };
  if (head && !(await repo.isAncestor(head, tip)))
    throw new WorkflowRefusal(
      `${branch} has commits that ${remote}/${branch} does not, so it cannot be fast-forwarded; ` +
        `integrate them yourself (e.g. \`git pull --rebase ${remote} ${branch}\`). Nothing was changed.`,
    );

  const plan = await planFor(repo, tip);
  if (plan.blocking.length > 0)
    throw new WorkflowRefusal(
      `local changes differ from ${remote}/${branch}, which changed the same files; they are kept and nothing was changed: ` +
        `${plan.blocking.join(', ')}. Commit, stash or discard them, then sync again.`,
    );
  if (plan.reset.length > 0) {
    progress(`putting back ${plan.reset.join(', ')} (${remote}/${branch} holds the same content)…`);
    await repo.restoreToHead(plan.reset);
  }
  progress(`fast-forwarding ${branch} to ${tip.slice(0, 12)}…`);
  await repo.fastForward(tip);
  return { from: head ?? tip, to: tip, plan };
}

/** The upstream verdict for every local change (working tree vs HEAD) against the upstream tip. */
export async function planFor(repo: GitRepository, tip: string): Promise<SyncPlan> {
  const changes = await repo.workingTreeChanges();
  const working = new Map<string, string | undefined>();
  for (const c of changes) {
    working.set(c.path, c.bytes && contentSha256(c.bytes));
    // A rename removes the old path from the working tree.
    if (c.oldPath !== undefined && !working.has(c.oldPath)) working.set(c.oldPath, undefined);
  }
  const paths = [...working.keys()];
  const [atHead, atTip] = await Promise.all([
    repo.filesAt('HEAD', paths),
    repo.filesAt(tip, [...paths, RELEASE_LOCK_PATH]),
  ]);
  const hash = (bytes: Uint8Array | undefined) => bytes && contentSha256(bytes);
  const lockBytes = atTip.get(RELEASE_LOCK_PATH);
  // A damaged upstream lock publishes nothing; equal bytes are still safe to reset.
  const releases = (parseReleaseLock(lockBytes ? new TextDecoder().decode(lockBytes) : '').entries ?? []).map(
    (e) => e.release,
  );
  return planUpstreamSync(
    paths.map((path) => ({
      path,
      working: working.get(path),
      head: hash(atHead.get(path)),
      upstream: hash(atTip.get(path)),
    })),
    releases,
  );
}
