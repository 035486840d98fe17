import type { PromptOpsClient } from '../client/promptOpsClient';
import { PromptOpsApiError } from '../client/promptOpsApiError';
import { parseReleaseLock, RELEASE_LOCK_PATH } from '../core/release/releaseLock';
import type { GitRepository } from '../git/gitRepository';
import type { ReportDeliveryRequest, ReviewListItemDto } from '../shared/api/reviews';
import type { PushResult } from './pushPublish';

/** Whether the server was told where the publish went; when not, why (the publish itself stands). */
export type DeliveryReport = { reported: true } | { reported: false; reason: string };

/** What to tell the server about a push: on the release branch, or waiting for a merge; nothing when nothing was pushed. */
export function deliveryOf(result: PushResult, releaseBranch: string): ReportDeliveryRequest | undefined {
  if (result.kind === 'pushed')
    return { state: 'release-branch', target: releaseBranch, branch: releaseBranch, commit: result.commit };
  if (result.kind === 'pull-request')
    return { state: 'awaiting-merge', target: releaseBranch, branch: result.ownBranch, commit: result.commit };
  return undefined;
}

/**
 * Tells the server where a publish went, so every clone's review shows it (the server cannot
 * see git). A failure to tell it is reported, never thrown: the release is published and pushed.
 */
export async function reportPublishDelivery(
  client: PromptOpsClient,
  reviewId: string,
  result: PushResult,
  releaseBranch: string,
): Promise<DeliveryReport | undefined> {
  const delivery = deliveryOf(result, releaseBranch);
  if (!delivery) return undefined;
  try {
    await client.reportDelivery(reviewId, delivery);
    return { reported: true };
  } catch (err) {
    return { reported: false, reason: (err as Error).message };
  }
}

export interface SettledMerges {
  /** Reviews now recorded as on the release branch. */
  settled: string[];
  /** On the release branch, but the server refused the caller's report (they may not publish there). */
  leftForPublisher: { id: string; reason: string }[];
  /** Still waiting: their commit is not on the release branch yet. */
  waiting: { id: string; branch: string }[];
}

/**
 * After a sync: every published review the server shows as waiting for a merge into `branch`
 * whose commit has reached `tip` (merged, or its release is in the lock there after a squash
 * or rebase merge) is reported as on the release branch. Only someone who may publish there
 * may say so; for others the server refuses, and the review keeps waiting for them to.
 */
export async function settleAwaitingMerges(
  client: PromptOpsClient,
  repo: GitRepository,
  branch: string,
  tip: string,
): Promise<SettledMerges> {
  const out: SettledMerges = { settled: [], leftForPublisher: [], waiting: [] };
  const waiting = (await awaitingMerge(client)).filter((r) => r.delivery?.target === branch);
  if (waiting.length === 0) return out;
  const lockBytes = (await repo.filesAt(tip, [RELEASE_LOCK_PATH])).get(RELEASE_LOCK_PATH);
  const lock = parseReleaseLock(lockBytes ? new TextDecoder().decode(lockBytes) : '').entries ?? [];
  for (const review of waiting) {
    const delivery = review.delivery!;
    const merged = await repo.isAncestor(delivery.commit, tip).catch(() => false);
    const inLock = lock.some((e) => e.release.reviewId === review.id && e.release.sha256 === review.headHash);
    if (!merged && !inLock) {
      out.waiting.push({ id: review.id, branch: delivery.branch });
      continue;
    }
    try {
      await client.reportDelivery(review.id, {
        state: 'release-branch',
        target: branch,
        branch,
        commit: merged ? delivery.commit : tip,
      });
      out.settled.push(review.id);
    } catch (err) {
      if (!(err instanceof PromptOpsApiError) || err.status !== 403) throw err;
      out.leftForPublisher.push({ id: review.id, reason: err.message });
    }
  }
  return out;
}

async function awaitingMerge(client: PromptOpsClient): Promise<ReviewListItemDto[]> {
  const all: ReviewListItemDto[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listReviews({ status: 'published', awaitingMerge: true, limit: 100, cursor });
    all.push(...page.reviews);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}
