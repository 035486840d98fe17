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

/**
 * The base commit as the reviewer's own git resolves it: a commit id is a content hash, so
 * what it holds cannot be forged by whoever sent it. Fetched once when missing.
 */
export async function lookUpBaseCommit(
  repo: GitRepository,
  commit: string,
  path: string,
  remote: string,
): Promise<BaseCommitLookup> {
  let fetchedFrom: string | undefined;
  if (!(await repo.hasCommit(commit))) {
    if (!(await repo.fetchCommit(remote, commit))) return { state: 'missing', commit, triedFetchFrom: remote };
    fetchedFrom = remote;
  }
  const full = await repo.resolveCommit(commit);
  const bytes = await repo.fileAt(full, path);
  return {
    state: 'found',
    commit: full,
    content: bytes === undefined ? undefined : new TextDecoder().decode(bytes),
    ...(fetchedFrom ? { fetchedFrom } : {}),
  };
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
