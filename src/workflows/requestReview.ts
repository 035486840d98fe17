import type { PromptOpsClient } from '../client/promptOpsClient';
import type { CreateReviewRequest, ReviewDto } from '../shared/api/reviews';

export interface RequestReviewOptions {
  /** Who is asking; their open review of the same file gets the revision. Unknown (a static token): always a new review. */
  author: string | undefined;
  /** A new review even when the author has one open for this file. */
  forceNew?: boolean;
}

/**
 * Ask for review of a prompt as the CLI and the extension both do: a new revision of the
 * author's open review of the same file (the server dismisses earlier approvals), else a
 * new review.
 */
export async function requestReview(
  client: PromptOpsClient,
  request: CreateReviewRequest,
  options: RequestReviewOptions,
): Promise<{ review: ReviewDto; revised: boolean }> {
  const mine =
    options.forceNew || !options.author
      ? undefined
      : (await client.listReviews({ status: 'open', path: request.path, author: options.author, limit: 1 })).reviews[0];
  if (!mine) return { review: await client.createReview(request), revised: false };
  const { content, note, gitBranch, gitCommit } = request;
  const review = await client.reviseReview(mine.id, {
    content,
    ...(note !== undefined ? { note } : {}),
    ...(gitBranch !== undefined ? { gitBranch } : {}),
    ...(gitCommit !== undefined ? { gitCommit } : {}),
  });
  return { review, revised: true };
}
