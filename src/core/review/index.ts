export { approvalStatus, type ApprovalInput, type ApprovalStatus, type IgnoredApproval } from './approvalStatus';
export { approvalRuleAt } from './approvalRuleAt';
