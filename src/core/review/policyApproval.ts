import { ACCESS_FILE_PATH, type AccessPolicy, type ApprovalRule } from '../access/accessPolicy';
import type { Actor, Decider, Decision } from '../policy/decision';
import { isOwnChange } from '../policy/selfApproval';

/**
 * Where a review of the access file is placed: not a workspace (it changes the whole file),
 * but the org. No workspace can be named so (names start with a letter or digit), so no
 * workspace role reaches it; it is shown to the users who may apply policy, in every
 * workspace scope.
 */
export const ORG_REVIEW_WORKSPACE = '(org)';

/** Where a review is placed, as people read it: `workspace/env`, or `org` for a policy review. */
export function reviewPlacement(review: { workspace: string; env: string }): string {
  return review.workspace === ORG_REVIEW_WORKSPACE ? 'org' : `${review.workspace}/${review.env}`;
}

/** A review of the access file itself: approved by those who may apply it, applied with `promptops apply`. */
export function isPolicyReviewPath(path: string): boolean {
  return path === ACCESS_FILE_PATH;
}

/**
 * The rule a change to the access file is held to: `policyApprovals` of the file in force
 * (never of the proposed one, which could lower its own bar), from users allowed
 * `policy.apply`, never its author.
 */
export function policyApprovalRule(policy: AccessPolicy): ApprovalRule {
  return { required: policy.policyApprovals ?? 0, from: ['admin'], selfApproval: false };
}

/**
 * Whether `actor`'s approval of a change to the access file by `author` counts: the
 * policy's own `policy.apply` decision, and never for the change's author.
 */
export function policyApprovalDecision(decider: Decider, actor: Actor, author: string): Decision {
  const d = decider.decide(actor, 'policy.apply', { kind: 'org' });
  if (d.allowed && isOwnChange(author, actor.username))
    return {
      allowed: false,
      rule: 'self-approval',
      reason: `You wrote this change to ${ACCESS_FILE_PATH}; policy changes need the approval of other users who may apply the access file.`,
      role: d.role,
    };
  if (!d.allowed)
    return { ...d, reason: `Approving a change to ${ACCESS_FILE_PATH} is for users who may apply it. ${d.reason}` };
  return d;
}
