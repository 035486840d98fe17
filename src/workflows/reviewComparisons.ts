import type { PromptOpsClient } from '../client/promptOpsClient';
import { promptChanges, type PromptChanges } from '../core/review/promptChanges';
import {
  planComparisons,
  type BaseCommitLookup,
  type ComparisonChoice,
  type ComparisonKind,
} from '../core/review/reviewComparisons';
import type { GitRepository } from '../git';
import type { ReviewDto } from '../shared/api/reviews';

export interface ReviewComparison extends Omit<ComparisonChoice, 'before'> {
  changes: PromptChanges;
}

/** Every comparison a reviewer is offered, each with its diff (core's `promptChanges`), most useful first. */
export interface ReviewComparisons {
  comparisons: ReviewComparison[];
  defaultKind: ComparisonKind;
  unavailable: string[];
}

export interface ComparisonSources {
  client: Pick<PromptOpsClient, 'getReviewRevision'>;
  /** The reviewer's own clone; undefined when there is none (no base-commit comparison). */
  repo: GitRepository | undefined;
  /** Where to fetch a base commit the clone lacks. */
  remote: string;
}

/** A full commit id: a prefix could name a different commit in the reviewer's clone. */
const FULL_COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * The base commit as the reviewer's own git resolves it: a commit id is a content hash, so
 * what it holds cannot be forged by whoever sent it. Fetched once when missing. Whether it
 * is on the remote's default branch is said, since the requester chose it (checked again
 * after fetching that branch, so a stale clone raises no false alarm).
 */
export async function lookUpBaseCommit(
  repo: GitRepository,
  commit: string,
  path: string,
  remote: string,
): Promise<BaseCommitLookup> {
  if (!FULL_COMMIT.test(commit))
    return { state: 'none', reason: `Base commit ${commit} is not a full commit id, so it is not compared.` };
  let fetchedFrom: string | undefined;
  if (!(await repo.hasCommit(commit))) {
    if (!(await repo.fetchCommit(remote, commit))) return { state: 'missing', commit, triedFetchFrom: remote };
    fetchedFrom = remote;
  }
  const bytes = await repo.fileAt(commit, path);
  const offBranch = await offSharedBranch(repo, commit, remote);
  return {
    state: 'found',
    commit,
    content: bytes === undefined ? undefined : new TextDecoder().decode(bytes),
    ...(fetchedFrom ? { fetchedFrom } : {}),
    ...(offBranch ? { offBranch } : {}),
  };
}

/** `<remote>/<default branch>` when `commit` is not on it (after fetching it once); undefined when on it or unknown. */
async function offSharedBranch(repo: GitRepository, commit: string, remote: string): Promise<string | undefined> {
  const branch = await repo.remoteDefaultBranch(remote);
  if (!branch) return undefined;
  const ref = `refs/remotes/${remote}/${branch}`;
  const known = await repo.hasCommit(ref);
  if (known && (await repo.isAncestor(commit, ref))) return undefined;
  // Unreachable remote: what the clone knew decides (not on it, or nothing known).
  const tip = await repo.fetchBranch(remote, branch).catch(() => (known ? ref : undefined));
  if (tip === undefined) return undefined;
  return (await repo.isAncestor(commit, tip)) ? undefined : `${remote}/${branch}`;
}

/**
 * What changed in a review, as the panel and `review show` both offer it: since the
 * previous revision (from the server), against the review's base commit (from the
 * reviewer's git) and against the published version (from the server).
 */
export async function reviewComparisons(review: ReviewDto, sources: ComparisonSources): Promise<ReviewComparisons> {
  let previous: { number: number; content: string } | undefined;
  let previousUnavailable: string | undefined;
  if (review.revision > 1) {
    try {
      const r = await sources.client.getReviewRevision(review.id, review.revision - 1);
      previous = { number: r.number, content: r.content };
    } catch (err) {
      previousUnavailable = (err as Error).message;
    }
  }
  let baseCommit: BaseCommitLookup = { state: 'none' };
  if (review.gitCommit && !sources.repo)
    baseCommit = {
      state: 'none',
      reason: `Base commit ${review.gitCommit.slice(0, 7)} cannot be compared: this folder is not a git repository.`,
    };
  else if (review.gitCommit && sources.repo) {
    const commit = review.gitCommit;
    baseCommit = await lookUpBaseCommit(sources.repo, commit, review.path, sources.remote).catch(
      (err: Error): BaseCommitLookup => ({
        state: 'none',
        reason: `Base commit ${commit.slice(0, 7)} could not be read from your clone: ${err.message}`,
      }),
    );
  }
  const plan = planComparisons({
    revision: review.revision,
    ...(previous ? { previous } : {}),
    ...(previousUnavailable ? { previousUnavailable } : {}),
    baseCommit,
    published: { env: review.env, content: review.baseContent },
  });
  return {
    comparisons: plan.comparisons.map(({ before, ...choice }) => ({
      ...choice,
      changes: promptChanges(review.path, before, review.headContent),
    })),
    defaultKind: plan.defaultKind,
    unavailable: plan.unavailable,
  };
}
