import { contentSha256 } from '../core/release/contentHash';
import type { GitRepository } from '../git';

/**
 * The commit a review request is based on, sent as `gitCommit` so a reviewer's own git
 * can show what changed (a commit id is a content hash: it cannot be forged into a
 * harmless diff). HEAD when the proposed file differs from HEAD's (the usual case: edited,
 * not committed); when HEAD already holds it (committed locally), the parent of the commit
 * that last changed it. Undefined before the first commit, or when the file was added in
 * the root commit.
 */
export async function reviewBaseCommit(
  repo: GitRepository,
  path: string,
  content: string | Uint8Array,
): Promise<string | undefined> {
  const head = await repo.head();
  if (!head) return undefined;
  const atHead = await repo.fileAt(head, path);
  if (atHead === undefined || contentSha256(atHead) !== contentSha256(content)) return head;
  return (await repo.lastCommitChanging(head, path))?.parents[0];
}
