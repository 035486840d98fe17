import type { PromptOpsClient } from '../client/promptOpsClient';
import type { CreateReviewRequest, ReviewDto } from '../shared/api/reviews';
import { reviewDatasetFile } from './reviewDatasetFile';
import { assertPlainPath, type WorkingTree } from './workingTree';

export interface RequestReviewOptions {
  /** The working tree the prompt is in: where the dataset beside it is read. */
  tree: WorkingTree;
  /** Who is asking; their open review of the same file gets the revision. Unknown (a static token): always a new review. */
  author: string | undefined;
  /** A new review even when the author has one open for this file. */
  forceNew?: boolean;
}

/**
 * Ask for review of a prompt as the CLI and the extension both do: a new revision of the
 * author's open review of the same file (the server dismisses earlier approvals), else a
 * new review. The `<prompt>.tests.yaml` beside the prompt goes with it (reviewDatasetFile):
 * reviewers approve it with the prompt and the server's evaluation runs it. A prompt or
 * dataset that is a symbolic link is refused before anything is sent.
 */
export async function requestReview(
  client: PromptOpsClient,
  request: Omit<CreateReviewRequest, 'dataset'>,
  options: RequestReviewOptions,
): Promise<{ review: ReviewDto; revised: boolean }> {
  // A link's target may be outside the repository: never upload it as the prompt.
  await assertPlainPath(options.tree, request.path);
  const dataset = await reviewDatasetFile(options.tree, request.path);
  const withDataset = dataset === undefined ? {} : { dataset };
  const mine =
    options.forceNew || !options.author
      ? undefined
      : (await client.listReviews({ status: 'open', path: request.path, author: options.author, limit: 1 })).reviews[0];
  if (!mine) return { review: await client.createReview({ ...request, ...withDataset }), revised: false };
  const { content, note, gitBranch, gitCommit } = request;
  const review = await client.reviseReview(mine.id, {
    content,
    ...withDataset,
    ...(note !== undefined ? { note } : {}),
    ...(gitBranch !== undefined ? { gitBranch } : {}),
    ...(gitCommit !== undefined ? { gitCommit } : {}),
  });
  return { review, revised: true };
}
