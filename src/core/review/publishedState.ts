/**
 * A review's state in words, as every front end shows it: `open`, `withdrawn`, `published`,
 * or `published — waiting for merge into <branch>` while its publisher reported the commit on
 * a branch of its own because the release branch is protected.
 */
export function reviewStateWords(review: {
  status: string;
  delivery?: { state: string; target: string } | null;
}): string {
  if (review.status === 'published' && review.delivery?.state === 'awaiting-merge')
    return `published — waiting for merge into ${review.delivery.target}`;
  return review.status;
}
