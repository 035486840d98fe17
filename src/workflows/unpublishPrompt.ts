import type { PromptOpsClient } from '../client/promptOpsClient';
import { LocatedError } from '../core/diagnostics';
import { findRelease, parseReleaseLock, RELEASE_LOCK_PATH, removeRelease } from '../core/release/releaseLock';
import { parseUnpublished, UNPUBLISHED_PATH, upsertUnpublish } from '../core/release/unpublishedFile';
import { retires, type SignedUnpublish } from '../core/release/unpublishRecord';
import type { GitRepository } from '../git/gitRepository';
import { committerEnv, type PublishOptions } from './publishReview';
import { assertPlainPath, WorkflowRefusal, type WorkingTree } from './workingTree';

export interface UnpublishPorts {
  client: PromptOpsClient;
  repo: GitRepository;
  tree: WorkingTree;
  progress?: (message: string) => void;
}

export interface UnpublishOutcome {
  record: SignedUnpublish;
  /** The server had unpublished this release before (an earlier run); only the local part was done now. */
  alreadyUnpublished: boolean;
  /** The commit holding the lock and the record; undefined with `commit: false`. */
  commit: string | undefined;
  /** HEAD already held exactly this: nothing was committed now. */
  alreadyCommitted: boolean;
}

/**
 * Take a prompt out of an env, the one implementation front ends call. The server retires
 * the newest release of the path in the env and signs an unpublish record; the lock entry
 * goes and the record is written into `.promptops/unpublished.yaml`, committed together
 * (verify accepts a removed entry only with its record). The prompt file stays: it is
 * simply no longer published there. Both files are checked before the server is asked, so
 * a damaged one refuses while nothing is unpublished yet.
 */
export async function unpublishPrompt(
  path: string,
  env: string,
  ports: UnpublishPorts,
  options: Pick<PublishOptions, 'commit' | 'committer'> = {},
): Promise<UnpublishOutcome> {
  const { client, repo, tree } = ports;
  const progress = ports.progress ?? (() => undefined);
  await assertPlainPath(tree, RELEASE_LOCK_PATH);
  await assertPlainPath(tree, UNPUBLISHED_PATH);
  const lockText = await readText(tree, RELEASE_LOCK_PATH);
  const lock = parseReleaseLock(lockText ?? '');
  if (!lock.entries) throw new LocatedError(lock.diagnostics.filter((d) => d.severity === 'error'));
  const recordsText = await readText(tree, UNPUBLISHED_PATH);
  const records = parseUnpublished(recordsText ?? '');
  if (!records.records) throw new LocatedError(records.diagnostics.filter((d) => d.severity === 'error'));

  progress('the server signs the unpublish record…');
  const { record, alreadyUnpublished } = await client.unpublish({ path, env });
  const entry = findRelease(lock.entries, path, env);
  if (entry && !retires(record, entry.release))
    throw new WorkflowRefusal(
      `the server retired review ${record.reviewId} of ${path} in ${env} (published ${record.publishedAt}), but ${RELEASE_LOCK_PATH} here holds review ${entry.release.reviewId} (published ${entry.release.publishedAt}): ` +
        'pull the release branch first, then run this again (the server side is done and will not change)',
    );
  const nextLock = removeRelease(lockText, path, env);
  const nextRecords = upsertUnpublish(recordsText, record);
  progress(`writing ${RELEASE_LOCK_PATH} and ${UNPUBLISHED_PATH}…`);
  if (nextLock !== lockText) await tree.writeFile(RELEASE_LOCK_PATH, new TextEncoder().encode(nextLock));
  if (nextRecords !== recordsText) await tree.writeFile(UNPUBLISHED_PATH, new TextEncoder().encode(nextRecords));

  let commit: string | undefined;
  let alreadyCommitted = false;
  if (options.commit ?? true) {
    progress('committing the lock and the record…');
    const created = await repo.commit(
      [RELEASE_LOCK_PATH, UNPUBLISHED_PATH],
      `Unpublish ${path} from ${env}\n\nRetires review #${record.reviewId} (published ${record.publishedAt}); unpublished by ${record.unpublishedBy}.`,
      committerEnv(options.committer),
    );
    alreadyCommitted = created === undefined;
    commit = created ?? (await repo.head());
  }
  return { record, alreadyUnpublished, commit, alreadyCommitted };
}

async function readText(tree: WorkingTree, path: string): Promise<string | undefined> {
  const bytes = await tree.readFile(path);
  return bytes && new TextDecoder().decode(bytes);
}
