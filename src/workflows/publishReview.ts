import { PromptOpsApiError } from '../client/promptOpsApiError';
import type { PromptOpsClient } from '../client/promptOpsClient';
import { LocatedError } from '../core/diagnostics';
import { parseReleaseLock, RELEASE_LOCK_PATH, upsertRelease } from '../core/release/releaseLock';
import { planRelease } from '../core/review/approvedContent';
import type { GitRepository } from '../git/gitRepository';
import type { SignedReleaseDto } from '../shared/api/releases';
import type { ReviewDto } from '../shared/api/reviews';
import { approvedContentFor } from './approvedContent';
import { assertPlainPath, WorkflowRefusal, type WorkingTree } from './workingTree';

/** What a front end hands the publish flow: the server, git and the working tree. */
export interface PublishPorts {
  client: PromptOpsClient;
  repo: GitRepository;
  tree: WorkingTree;
  /** A step is starting, for a progress display. */
  progress?: (message: string) => void;
}

export interface PublishOptions {
  /** Commit prompt and lock (default); false writes them and leaves the commit to the user. */
  commit?: boolean;
  /**
   * Who is committing, passed to git hooks as PROMPTOPS_USER / PROMPTOPS_ROLE. The
   * extension's sign-in is not the CLI's stored login that the pre-commit hook would
   * otherwise read.
   */
  committer?: { username: string; role: string };
}

export interface PublishOutcome {
  review: ReviewDto;
  release: SignedReleaseDto;
  /** The server had published this review before (an earlier run); only the local part was done now. */
  alreadyPublished: boolean;
  /** The approved content was written into the working tree (it was absent or HEAD's). */
  wroteContent: boolean;
  /** The commit holding the published prompt and lock; undefined with `commit: false`. */
  commit: string | undefined;
  /** Prompt and lock were committed as published already: this run changed nothing in git. */
  alreadyCommitted: boolean;
}

/**
 * Publish an approved review, the one implementation both the CLI and the extension call.
 * Refused, changing nothing, unless the working file is the approved content or can take
 * it (absent, or unchanged from HEAD: then the server's approved bytes are written). The
 * server signs the release (or, when an earlier run published but failed locally, its
 * release is reused); it is upserted into `.promptops/published.yaml`; prompt and lock
 * are committed together, or not at all.
 */
export async function publishReview(
  id: string,
  ports: PublishPorts,
  options: PublishOptions = {},
): Promise<PublishOutcome> {
  const { client, repo, tree } = ports;
  const progress = ports.progress ?? (() => undefined);
  const review = await client.getReview(id);
  await assertPlainPath(tree, RELEASE_LOCK_PATH);
  const content = await approvedContentFor(review, tree, repo);
  // Checked before the server is asked, so a damaged lock refuses while nothing is published yet.
  const lockBytes = await tree.readFile(RELEASE_LOCK_PATH);
  const lockText = lockBytes && new TextDecoder().decode(lockBytes);
  const lock = parseReleaseLock(lockText ?? '');
  if (!lock.entries) throw new LocatedError(lock.diagnostics.filter((d) => d.severity === 'error'));

  const { release, alreadyPublished } = await releaseFor(client, review, progress);

  if (content.needsWrite) {
    progress(`writing the approved ${review.path}…`);
    await tree.writeFile(review.path, content.bytes);
  }
  const nextLock = upsertRelease(lockText, release);
  if (nextLock !== lockText) {
    progress(`writing ${RELEASE_LOCK_PATH}…`);
    await tree.writeFile(RELEASE_LOCK_PATH, new TextEncoder().encode(nextLock));
  }

  let commit: string | undefined;
  let alreadyCommitted = false;
  if (options.commit ?? true) {
    progress('committing the prompt and the lock…');
    const env = committerEnv(options.committer);
    const created = await repo.commit([review.path, RELEASE_LOCK_PATH], publishCommitMessage(review, release), env);
    // Nothing to commit: HEAD already holds exactly this prompt and lock.
    alreadyCommitted = created === undefined;
    commit = created ?? (await repo.head());
  }
  return { review, release, alreadyPublished, wroteContent: content.needsWrite, commit, alreadyCommitted };
}

/** The message of a publish commit (also of its replay on a newer tip). */
export function publishCommitMessage(review: Pick<ReviewDto, 'id'>, release: SignedReleaseDto): string {
  return (
    `Publish ${release.path} to ${release.env} (review #${review.id})\n\n` +
    `Approved by ${release.approvers.join(', ')}; published by ${release.publisher}.`
  );
}

/** The git environment that tells hooks who commits (see PublishOptions.committer). */
export function committerEnv(committer: PublishOptions['committer']): Record<string, string> | undefined {
  return committer ? { PROMPTOPS_USER: committer.username, PROMPTOPS_ROLE: committer.role } : undefined;
}

/** The signed release: new from the server, or the one an earlier run had it sign. */
async function releaseFor(
  client: PromptOpsClient,
  review: ReviewDto,
  progress: (message: string) => void,
): Promise<{ release: SignedReleaseDto; alreadyPublished: boolean }> {
  const plan = planRelease(review.release, review.headHash);
  if (plan.kind === 'reuse') return { release: plan.release, alreadyPublished: true };
  if (plan.kind === 'mismatch')
    throw new WorkflowRefusal(
      `review #${review.id} was published with sha256 ${plan.released}, not its head ${plan.approved}; nothing was changed.`,
    );
  progress('the server signs the release…');
  try {
    return { release: (await client.publish(review.id, review.reviewedHash)).release, alreadyPublished: false };
  } catch (err) {
    // Someone published it between our read and now: reuse that release when it is this content.
    if (!(err instanceof PromptOpsApiError) || err.code !== 'already_published') throw err;
    const again = planRelease((await client.getReview(review.id)).release, review.headHash);
    if (again.kind !== 'reuse') throw err;
    return { release: again.release, alreadyPublished: true };
  }
}
