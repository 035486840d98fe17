import * as vscode from 'vscode';
import type { PromptOpsClient } from '../../client/promptOpsClient';
import { contentSha256 } from '../../core/release/contentHash';
import { RELEASE_LOCK_PATH, upsertRelease } from '../../core/release/releaseLock';
import type { ReviewDto } from '../../shared/api/reviews';
import type { SignedReleaseDto } from '../../shared/api/releases';
import type { PromptOpsModel } from '../model/promptOpsModel';

export interface PublishOutcome {
  release: SignedReleaseDto;
  /** The commit holding the prompt and the updated lock. */
  commit: string;
}

/**
 * Publish an approved review: refuse unless the file in the working tree is exactly the
 * approved content; have the server sign the release; write it into
 * `.promptops/published.yaml`; commit the prompt and the lock together. A review the
 * server already published (the lock or commit failed last time) only finishes the local part.
 */
export async function publishRelease(
  review: ReviewDto,
  client: PromptOpsClient,
  model: PromptOpsModel,
  progress: vscode.Progress<{ message?: string }>,
): Promise<PublishOutcome> {
  const repo = await model.repository().repository();
  if (!repo) throw new Error('This folder is not a git repository, so the release cannot be committed.');
  const uri = model.uriOf(review.path);
  const bytes = await vscode.workspace.fs.readFile(uri).then(
    (b) => b,
    () => undefined,
  );
  if (!bytes) throw new Error(`${review.path} is not in the working tree; check out the approved version first.`);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) throw new Error(`${review.path} has unsaved changes; save or revert them first.`);
  const onDisk = contentSha256(bytes);
  const approved = review.release?.sha256 ?? review.headHash;
  if (onDisk !== approved) {
    throw new Error(
      `${review.path} no longer matches the approved content (approved sha256 ${approved.slice(0, 12)}…, the file is ${onDisk.slice(0, 12)}…). Publishing is refused: restore the approved version, or request review of the change.`,
    );
  }

  let release = review.release;
  if (!release) {
    if (!review.permissions.publish.allowed) throw new Error(review.permissions.publish.reason);
    progress.report({ message: 'the server signs the release…' });
    release = (await client.publish(review.id, review.headHash)).release;
  }

  progress.report({ message: `writing ${RELEASE_LOCK_PATH}…` });
  const lockUri = model.uriOf(RELEASE_LOCK_PATH);
  const lockText = await vscode.workspace.fs.readFile(lockUri).then(
    (b) => new TextDecoder().decode(b),
    () => undefined,
  );
  const next = upsertRelease(lockText, release);
  await vscode.workspace.fs.writeFile(lockUri, new TextEncoder().encode(next));

  progress.report({ message: 'committing the prompt and the lock…' });
  // The pre-commit hook (`promptops check --staged`) learns who is committing from these.
  const me = model.actor;
  const identity = me ? { PROMPTOPS_USER: me.username, PROMPTOPS_ROLE: me.role } : undefined;
  const committed = await repo.commit(
    [review.path, RELEASE_LOCK_PATH],
    `Publish ${release.name} to ${release.env}\n\nReview ${review.id}, approved by ${release.approvers.join(', ')}; published by ${release.publisher}.`,
    identity,
  );
  // Nothing to commit: an earlier run committed both already.
  const commit = committed ?? (await repo.head())!;
  return { release, commit };
}
