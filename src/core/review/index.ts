export { approvalStatus, type ApprovalInput, type ApprovalStatus, type IgnoredApproval } from './approvalStatus';
export {
  planApprovedContent,
  planRelease,
  repoPathChain,
  type ApprovedContentPlan,
  type ReleasePlan,
  type WorkingFileHashes,
} from './approvedContent';
export { isPolicyReviewPath, policyApprovalDecision, policyApprovalRule } from './policyApproval';
