import { DEFAULT_WORKSPACE } from '../../core/access/accessPolicy';
import type { Actor, PromptResource } from '../../core/policy/decision';
import { isPolicyReviewPath, ORG_REVIEW_WORKSPACE } from '../../core/review/policyApproval';
import { requestActor } from '../auth/actorOf';
import type { Identity } from '../auth/identity';
import type { PolicyInForce } from '../policy/policyInForce';
import type { ReleaseRow, ReviewSummaryRecord } from '../store/reviewRecords';
import { reviewResource } from './reviewResource';
import { promptResource } from '../../core/policy/promptResource';

/**
 * Read isolation: what the server holds about a prompt (reviews, revisions, releases) is
 * shown only to callers the access file lets `prompt.read` it in its workspace and env.
 * The static token is an admin token (the seed), so it reads everything.
 */
export function readerOf(identity: Identity): Actor {
  return requestActor(identity);
}

export function mayRead(policy: PolicyInForce, reader: Actor, resource: PromptResource): boolean {
  return policy.compiled.decide(reader, 'prompt.read', resource).allowed;
}

/**
 * A proposed change to the access file is for the users who decide on it: those the file in
 * force lets `policy.apply` (org admins), whatever their workspaces. (The applied file
 * itself stays readable by everyone signed in: GET /api/policy.)
 */
export function mayReadPolicyReviews(policy: PolicyInForce, reader: Actor): boolean {
  return policy.compiled.decide(reader, 'policy.apply', { kind: 'org' }).allowed;
}

export function mayReadReview(policy: PolicyInForce, reader: Actor, review: ReviewSummaryRecord): boolean {
  if (isPolicyReviewPath(review.path)) return mayReadPolicyReviews(policy, reader);
  return mayRead(policy, reader, reviewResource(review));
}

/** A release is placed where the server placed it when publishing. */
export function releaseResource(release: ReleaseRow): PromptResource {
  return promptResource(release.path, release);
}

/**
 * The access file's workspaces whose prompts `reader` may not read, and the org level of
 * policy reviews unless `reader` may apply policy: lists leave them out
 * in SQL, so a page is filled with readable rows and nothing counts the hidden ones.
 * (`prompt.read` depends on the workspace and the role there, not on the env.) Rows
 * placed under an older access file are still checked one by one with `mayRead`.
 */
export function hiddenWorkspaces(policy: PolicyInForce, reader: Actor): string[] {
  const names = new Set([...policy.policy.workspaces.map((w) => w.name), DEFAULT_WORKSPACE]);
  const hidden = [...names].filter(
    (name) => !policy.compiled.decide(reader, 'prompt.read', { kind: 'workspace', name }).allowed,
  );
  return mayReadPolicyReviews(policy, reader) ? hidden : [...hidden, ORG_REVIEW_WORKSPACE];
}
