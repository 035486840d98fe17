import type { PromptResource } from '../../core/policy/decision';
import { promptResource } from '../../core/policy/promptResource';
import type { ReviewSummaryRecord } from '../store/reviewRecords';

/** The prompt a review is about, placed by its own fields exactly as the policy places files. */
export function reviewResource(review: ReviewSummaryRecord, withAuthor = false): PromptResource {
  return promptResource(
    review.path,
    { workspace: review.promptWorkspace, env: review.promptEnv },
    withAuthor ? review.author : undefined,
  );
}
