import type { PromptOpsClient } from '../client/promptOpsClient';
import type { GitRepository } from '../git/gitRepository';
import type { ReviewDto } from '../shared/api/reviews';
import { evalDatasetPath } from '../core/eval/evalDatasetPath';
import { approvedContentFor, approvedDatasetFor } from './approvedContent';
import type { WorkingTree } from './workingTree';

export interface CheckoutOutcome {
  review: ReviewDto;
  /** False when the working file already held the review's head. */
  wrote: boolean;
  /** The dataset the head carries, beside the prompt (undefined: it carries none). */
  dataset?: { path: string; wrote: boolean };
  /**
   * The head carries no dataset, yet one lies beside the prompt (an earlier revision's, or
   * the clone's own): left alone, and named, as evaluating here would run its cases.
   */
  strayDataset?: { path: string; warning: string };
}

/**
 * `review checkout`: the review's head content, from the server, into the working tree,
 * checked against the head hash, with the dataset the head carries (checked against the
 * reviewed hash). Refused (a WorkflowRefusal, nothing changed) over local edits to either
 * that are neither HEAD's nor the review's, or through a symbolic link.
 */
export async function checkoutReview(
  id: string,
  ports: { client: PromptOpsClient; repo: GitRepository; tree: WorkingTree },
): Promise<CheckoutOutcome> {
  const review = await ports.client.getReview(id);
  // Both are checked before either is written.
  const content = await approvedContentFor(review, ports.tree, ports.repo);
  const dataset = await approvedDatasetFor(review, ports.tree, ports.repo);
  if (content.needsWrite) await ports.tree.writeFile(review.path, content.bytes);
  if (dataset?.needsWrite) await ports.tree.writeFile(dataset.path, dataset.bytes);
  const stray = dataset ? undefined : await strayDataset(review, ports.tree);
  return {
    review,
    wrote: content.needsWrite,
    ...(dataset ? { dataset: { path: dataset.path, wrote: dataset.needsWrite } } : {}),
    ...(stray ? { strayDataset: stray } : {}),
  };
}

async function strayDataset(review: ReviewDto, tree: WorkingTree): Promise<CheckoutOutcome['strayDataset']> {
  const path = evalDatasetPath(review.path);
  if ((await tree.entryKind(path)) === 'absent') return undefined;
  return {
    path,
    warning:
      `review #${review.id}'s head carries no dataset, but ${path} is here: evaluating the prompt in this clone would run ` +
      `its cases, which are not part of the review (the server's evaluation has none). It was left as it is; move it away to evaluate what was reviewed.`,
  };
}
