import type { Decision } from './decision';
import { selfApprovalReason } from './reasons';

/** Whether `username` wrote the change by `author`: usernames are one person whatever their case. */
export function isOwnChange(author: string, username: string): boolean {
  return author.toLowerCase() === username.toLowerCase();
}

/** The refusal of approving one's own change where the approval rule does not allow it. */
export function selfApprovalRefusal(role: string, workspace: string, env: string): Decision {
  return { allowed: false, rule: 'self-approval', reason: selfApprovalReason(workspace, env), role, workspace, env };
}
