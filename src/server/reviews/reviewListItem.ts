import type { ReviewListItemDto } from '../../shared/api/reviews';
import type { PolicyInForce } from '../policy/policyInForce';
import type { ReviewVerdicts } from '../store/reviewRecords';
import { approvalProgress, type ApprovalProgress } from './approvalProgress';
import { reviewSummaryDto } from './reviewDto';

/** A review's summary, with approval progress when it is open (so lists and badges can say "approved"). */
export function reviewListItem(
  entry: ReviewVerdicts,
  policy: PolicyInForce,
  // Given when the caller has worked it out already for this entry and policy.
  known?: ApprovalProgress,
): ReviewListItemDto {
  const item: ReviewListItemDto = reviewSummaryDto(entry.review);
  if (entry.review.status !== 'open') return item;
  const progress = known ?? approvalProgress(entry, policy);
  // Added to the summary built for this item rather than copied into a new one: a page has 200.
  item.approval = {
    met: progress.met && progress.changesRequestedBy.length === 0,
    approvals: progress.counted.length,
    required: progress.required,
    approvedBy: progress.counted,
    changesRequestedBy: progress.changesRequestedBy,
  };
  return item;
}
