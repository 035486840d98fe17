import type { ApprovalRule } from '../access/accessPolicy';
import type { Decision } from '../policy/decision';
import { isOwnChange } from '../policy/selfApproval';

/** One approval on a review, with the `review.approve` decision for its user right now. */
export interface ApprovalInput {
  username: string;
  /**
   * `decide(user, 'review.approve', { …prompt, author })` for the approver as they are now;
   * undefined when the user no longer exists (removed from the server).
   */
  decision: Decision | undefined;
}

export interface IgnoredApproval {
  username: string;
  reason: string;
}

export interface ApprovalStatus {
  met: boolean;
  required: number;
  /** Users whose approval counts, in the order they approved, each once. */
  counted: string[];
  ignored: IgnoredApproval[];
}

/**
 * How far a review meets its approval rule. Each distinct user counts once, and only when
 * their approve decision allows it. Self-approvals are refused here too (unless the rule
 * allows them), even if a caller's decision forgot to pass the author: the rule is the
 * last word on that. Usernames compare without regard to case, as decisions do.
 */
export function approvalStatus(
  rule: ApprovalRule,
  author: string,
  approvals: readonly ApprovalInput[],
): ApprovalStatus {
  const counted: string[] = [];
  const ignored: IgnoredApproval[] = [];
  const seen = new Set<string>();
  for (const { username, decision } of approvals) {
    const key = username.toLowerCase();
    if (seen.has(key)) {
      ignored.push({ username, reason: `${username} already approved; each person counts once.` });
      continue;
    }
    seen.add(key);
    if (decision === undefined) {
      ignored.push({ username, reason: `${username} is no longer a user, so their approval does not count.` });
    } else if (!rule.selfApproval && isOwnChange(author, username)) {
      ignored.push({
        username,
        reason:
          decision.rule === 'self-approval'
            ? decision.reason
            : 'You wrote this change, and the approval rule does not allow approving your own change.',
      });
    } else if (!decision.allowed) {
      ignored.push({ username, reason: decision.reason });
    } else {
      counted.push(username);
    }
  }
  return { met: counted.length >= rule.required, required: rule.required, counted, ignored };
}
