import { evalDatasetPath } from '../core/eval/evalDatasetPath';
import { contentSha256, isSha256Hex } from '../core/release/contentHash';
import { planApprovedContent } from '../core/review/approvedContent';
import { reviewedHash } from '../core/review/reviewedHash';
import type { GitRepository } from '../git/gitRepository';
import type { ReviewDto, RevisionDto } from '../shared/api/reviews';
import { assertPlainPath, WorkflowRefusal, type WorkingTree } from './workingTree';

export interface ApprovedContent {
  /** The approved bytes, checked against the review's head hash. */
  bytes: Uint8Array;
  /** True when the working file must be (and may be) replaced by them. */
  needsWrite: boolean;
}

/**
 * Whether the review's head content (as the server holds it) can be put in the working
 * tree: it must hash to the review's head, and the working file may be replaced only when
 * it is absent, unchanged from HEAD, or another revision of this review (an earlier
 * checkout); local edits of any other content are never overwritten. Changes nothing; the
 * caller writes `bytes` when `needsWrite`.
 */
export function approvedContentFor(
  review: Pick<ReviewDto, 'id' | 'path' | 'headHash' | 'headContent' | 'revisions'>,
  tree: WorkingTree,
  repo: GitRepository,
): Promise<ApprovedContent> {
  const earlier = revisionHashes(review, (r) => r.headHash);
  return planFile(review.path, review.headHash, review.headContent, earlier, tree, repo, {
    damaged: (served) =>
      `review #${review.id}'s content from the server hashes to sha256 ${served}, not to its head ${review.headHash}; ` +
      'it was damaged or changed and is not used. Nothing was changed.',
    localChanges: (working) =>
      `${review.path} no longer matches the approved content: on disk it is sha256 ${working.slice(0, 12)}…, ` +
      `not the approved head of review #${review.id} (${review.headHash.slice(0, 12)}…), nor another of its revisions, nor HEAD's version. ` +
      'Nothing was changed: keep or discard your local edits (e.g. `git stash`), or request review of them.',
  });
}

export interface ApprovedDataset extends ApprovedContent {
  /** Where it goes: the `<prompt>.tests.yaml` beside the prompt. */
  path: string;
}

/**
 * The same for the dataset the review's head carries (undefined when it carries none): it
 * must sit beside the prompt and, with the prompt's head, hash to the review's reviewedHash
 * (what reviewers approved); local edits of another content are never overwritten.
 */
export async function approvedDatasetFor(
  review: Pick<ReviewDto, 'id' | 'path' | 'headHash' | 'reviewedHash' | 'headDataset' | 'revisions'>,
  tree: WorkingTree,
  repo: GitRepository,
): Promise<ApprovedDataset | undefined> {
  const dataset = review.headDataset;
  if (!dataset) return undefined;
  const path = evalDatasetPath(review.path);
  if (dataset.path !== path)
    throw new WorkflowRefusal(
      `the server names ${dataset.path} as review #${review.id}'s dataset, not ${path} beside its prompt; it is not used. Nothing was changed.`,
    );
  // The dataset has no hash of its own in the review: it is approved through the reviewed
  // hash, which binds it to the prompt's head.
  const damaged = () =>
    `review #${review.id}'s dataset from the server does not hash, with its prompt, to the reviewed head ${review.reviewedHash}; ` +
    'it was damaged or changed and is not used. Nothing was changed.';
  if (reviewedHash(review.headHash, dataset.content) !== review.reviewedHash) throw new WorkflowRefusal(damaged());
  const bytes = new TextEncoder().encode(dataset.content);
  const approved = contentSha256(bytes);
  const earlier = revisionHashes(review, (r) => r.datasetHash);
  const plan = await planFile(path, approved, bytes, earlier, tree, repo, {
    damaged,
    localChanges: (working) =>
      `${path} no longer matches the dataset review #${review.id} carries: on disk it is sha256 ${working.slice(0, 12)}…, ` +
      `not the reviewed one (${approved.slice(0, 12)}…), nor another revision's, nor HEAD's version. ` +
      'Nothing was changed: keep or discard your local edits (e.g. `git stash`), or request review of them.',
  });
  return { path, ...plan };
}

/**
 * One hash of each revision the server lists (the head's, or the dataset's), as sha256 hex;
 * anything else it sends, or a list it leaves out, counts as none: a hash here only lets a
 * file be replaced that the server could give back, never anything more.
 */
function revisionHashes(
  review: Pick<ReviewDto, 'revisions'>,
  hashOf: (revision: RevisionDto) => string | null,
): string[] {
  const listed: unknown = review.revisions;
  if (!Array.isArray(listed)) return [];
  return listed.flatMap((r: unknown) => {
    const hash: unknown = typeof r === 'object' && r !== null ? hashOf(r as RevisionDto) : undefined;
    return typeof hash === 'string' && isSha256Hex(hash) ? [hash] : [];
  });
}

/** The refusal sentences of one kind of file, given the hashes that tell what is wrong. */
interface FileRefusals {
  damaged(served: string): string;
  localChanges(working: string): string;
}

/**
 * One file the server sent, against the working tree: a plain path, bytes that hash to
 * `approvedHash`, and a working file that is absent, already these bytes, unchanged from
 * HEAD, or one of `earlier` (the review's other revisions). Changes nothing.
 */
async function planFile(
  path: string,
  approvedHash: string,
  content: string | Uint8Array,
  earlier: readonly string[],
  tree: WorkingTree,
  repo: GitRepository,
  refusals: FileRefusals,
): Promise<ApprovedContent> {
  await assertPlainPath(tree, path);
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const working = await tree.readFile(path);
  const committed = await repo.fileAt('HEAD', path);
  const plan = planApprovedContent({
    approved: approvedHash,
    served: contentSha256(bytes),
    working: working && contentSha256(working),
    committed: committed && contentSha256(committed),
    earlier,
  });
  switch (plan.kind) {
    case 'damaged':
      throw new WorkflowRefusal(refusals.damaged(plan.served));
    case 'local-changes':
      throw new WorkflowRefusal(refusals.localChanges(plan.working));
    case 'in-place':
      return { bytes, needsWrite: false };
    case 'write':
      return { bytes, needsWrite: true };
  }
}
