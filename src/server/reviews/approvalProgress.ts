import { isPolicyReviewPath, policyApprovalDecision, policyApprovalRule } from '../../core/review/policyApproval';
import { approvalStatus, type ApprovalInput, type ApprovalStatus } from '../../core/review/approvalStatus';
import type { PromptResource } from '../../core/policy/decision';
import type { ApprovalRule } from '../../core/access/accessPolicy';
import type { PolicyInForce } from '../policy/policyInForce';
import type { ReviewVerdicts, VerdictRecord } from '../store/reviewRecords';
import { reviewResource } from './reviewResource';

export interface ApprovalProgress extends ApprovalStatus {
  rule: ApprovalRule;
  changesRequestedBy: string[];
  /** The prompt as placed for these decisions, with the review's author (`reviewResource(review, true)`). */
  resource: PromptResource;
}

/** Each user's newest verdict that a later revision has not dismissed, in the order given. */
export function standingVerdicts(verdicts: readonly VerdictRecord[]): VerdictRecord[] {
  const newest = new Map<string, VerdictRecord>();
  for (const v of verdicts) if (v.dismissedAt === null) newest.set(v.userId, v);
  return [...newest.values()].sort((a, b) => a.id - b.id);
}

/** `userId`'s entry in `standingVerdicts(verdicts)`, without building the list. */
export function standingVerdictOf(verdicts: readonly VerdictRecord[], userId: string): VerdictRecord | undefined {
  for (let i = verdicts.length - 1; i >= 0; i--) {
    const v = verdicts[i];
    if (v.userId === userId && v.dismissedAt === null) return v;
  }
  return undefined;
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
  let rule: ApprovalRule;
  if (ofPolicy) rule = policyApprovalRule(policy.policy);
  else {
    const placed = policy.compiled.placement(resource.path, resource.workspace, resource.env);
    rule = policy.compiled.approvalRule(placed.workspace, placed.env);
  }
  // Lists ask this for every row of a page: no intermediate arrays beyond the standing verdicts.
  const standing = state.verdicts.length === 0 ? [] : standingVerdicts(state.verdicts);
  const inputs: ApprovalInput[] = [];
  const changesRequestedBy: string[] = [];
  for (const v of standing) {
    if (v.verdict === 'request_changes') {
      // A removed user's request no longer holds anything up.
      if (v.currentRole !== null) changesRequestedBy.push(v.username);
      continue;
    }
    if (v.verdict !== 'approve') continue;
    const approver = v.currentRole === null ? undefined : { username: v.username, role: v.currentRole };
    inputs.push({
      username: v.username,
      decision:
        approver === undefined
          ? undefined
          : ofPolicy
            ? policyApprovalDecision(policy.compiled, approver, state.review.author)
            : policy.compiled.decide(approver, 'review.approve', resource),
    });
  }
  const status = approvalStatus(rule, state.review.author, inputs);
  return {
    met: status.met,
    required: status.required,
    counted: status.counted,
    ignored: status.ignored,
    rule,
    changesRequestedBy,
    resource,
  };
}
