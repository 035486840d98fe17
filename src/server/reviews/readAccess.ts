import { DEFAULT_WORKSPACE } from '../../core/access/accessPolicy';
import type { Actor, PromptResource } from '../../core/policy/decision';
import { isPolicyReviewPath } from '../../core/review/policyApproval';
import { STATIC_TOKEN_ACTOR } from '../audit/auditActor';
import { actorOf } from '../auth/actorOf';
import type { Identity } from '../auth/identity';
import type { PolicyInForce } from '../policy/policyInForce';
import type { ReleaseRow, ReviewRecord } from '../store/reviewRecords';
import { reviewResource } from './reviewResource';

/**
 * Read isolation: what the server holds about a prompt (reviews, revisions, releases) is
 * shown only to callers the access file lets `prompt.read` it in its workspace and env.
 * The static token is an admin token (the seed), so it reads everything.
 */
export function readerOf(identity: Identity): Actor {
  if (identity.kind === 'static-token') return { username: STATIC_TOKEN_ACTOR, role: 'admin' };
  return actorOf(identity);
}

export function mayRead(policy: PolicyInForce, reader: Actor, resource: PromptResource): boolean {
  return policy.compiled.decide(reader, 'prompt.read', resource).allowed;
}

export function mayReadReview(policy: PolicyInForce, reader: Actor, review: ReviewRecord): boolean {
  // The access file is no secret: every signed-in user reads it (GET /api/policy), and so its reviews.
  if (isPolicyReviewPath(review.path)) return true;
  return mayRead(policy, reader, reviewResource(review));
}

/** A release is placed where the server placed it when publishing. */
export function releaseResource(release: ReleaseRow): PromptResource {
  return { kind: 'prompt', path: release.path, workspace: release.workspace, env: release.env };
}

/**
 * The access file's workspaces whose prompts `reader` may not read: lists leave them out
 * in SQL, so a page is filled with readable rows and nothing counts the hidden ones.
 * (`prompt.read` depends on the workspace and the role there, not on the env.) Rows
 * placed under an older access file are still checked one by one with `mayRead`.
 */
export function hiddenWorkspaces(policy: PolicyInForce, reader: Actor): string[] {
  const names = new Set([...policy.policy.workspaces.map((w) => w.name), DEFAULT_WORKSPACE]);
  return [...names].filter(
    (name) => !policy.compiled.decide(reader, 'prompt.read', { kind: 'workspace', name }).allowed,
  );
}
