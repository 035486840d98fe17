import { isPolicyReviewPath, policyApprovalDecision, policyApprovalRule } from '../../core/review/policyApproval';
import { approvalStatus, type ApprovalStatus } from '../../core/review/approvalStatus';
import type { ApprovalRule } from '../../core/access/accessPolicy';
import type { PolicyInForce } from '../policy/policyInForce';
import type { ReviewVerdicts, VerdictRecord } from '../store/reviewRecords';
import { reviewResource } from './reviewResource';

export interface ApprovalProgress extends ApprovalStatus {
  rule: ApprovalRule;
  changesRequestedBy: string[];
}

/** Each user's newest verdict that a later revision has not dismissed, in the order given. */
export function standingVerdicts(verdicts: readonly VerdictRecord[]): VerdictRecord[] {
  const newest = new Map<string, VerdictRecord>();
  for (const v of verdicts) if (v.dismissedAt === null) newest.set(v.userId, v);
  return [...newest.values()].sort((a, b) => a.id - b.id);
}

/**
 * How far the review meets the approval rule now: each standing approval is judged by
 * the approver's role today (a removed user's approval stops counting), with the rule in
 * force for the prompt's workspace and env under the current access file.
 */
export function approvalProgress(state: ReviewVerdicts, policy: PolicyInForce): ApprovalProgress {
  const resource = reviewResource(state.review, true);
  // A change to the access file is approved by those who may apply it, under the rule of the file in force.
  const ofPolicy = isPolicyReviewPath(resource.path);
  const placed = policy.compiled.placement(resource.path, resource.workspace, resource.env);
  const rule = ofPolicy
    ? policyApprovalRule(policy.policy)
    : policy.compiled.approvalRule(placed.workspace, placed.env);
  const standing = standingVerdicts(state.verdicts);
  const inputs = standing
    .filter((v) => v.verdict === 'approve')
    .map((v) => {
      const approver = v.currentRole === null ? undefined : { username: v.username, role: v.currentRole };
      return {
        username: v.username,
        decision:
          approver === undefined
            ? undefined
            : ofPolicy
              ? policyApprovalDecision(policy.compiled, approver, state.review.author)
              : policy.compiled.decide(approver, 'review.approve', resource),
      };
    });
  return {
    ...approvalStatus(rule, state.review.author, inputs),
    rule,
    // A removed user's request no longer holds anything up.
    changesRequestedBy: standing
      .filter((v) => v.verdict === 'request_changes' && v.currentRole !== null)
      .map((v) => v.username),
  };
}
