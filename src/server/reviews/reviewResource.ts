import type { PromptResource } from '../../core/policy/decision';
import type { ReviewRecord } from '../store/reviewRecords';

/** The prompt a review is about, placed by its own fields exactly as the policy places files. */
export function reviewResource(review: ReviewRecord, withAuthor = false): PromptResource {
  return {
    kind: 'prompt',
    path: review.path,
    ...(review.promptWorkspace !== null ? { workspace: review.promptWorkspace } : {}),
    ...(review.promptEnv !== null ? { env: review.promptEnv } : {}),
    ...(withAuthor ? { author: review.author } : {}),
  };
}
