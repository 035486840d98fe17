import { contentSha256 } from '../release/contentHash';

/**
 * The sha256 approvals, change requests and the server's evaluation runs are bound to: what
 * a reviewer looked at. Without a dataset it is the prompt's own content hash (`headHash`,
 * what the lock records and the loader checks), so reviews without one are unchanged. With
 * a `<prompt>.tests.yaml` dataset uploaded beside the prompt it covers both: a change to
 * the dataset alone is a new reviewed hash, so a verdict or a passing run of the old one no
 * longer names the head. The prefix keeps it from ever equalling a file's own hash.
 */
export function reviewedHash(headHash: string, dataset: string | null): string {
  if (dataset === null) return headHash;
  return contentSha256(`promptops reviewed content v1\nprompt ${headHash}\ndataset ${contentSha256(dataset)}\n`);
}
