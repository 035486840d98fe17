import type { Command } from 'commander';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PromptOpsApiError } from '../../client/promptOpsApiError';
import type { PromptOpsClient } from '../../client/promptOpsClient';
import { contentSha256 } from '../../core/release/contentHash';
import { RELEASE_LOCK_PATH, upsertRelease } from '../../core/release/releaseLock';
import type { SignedReleaseDto } from '../../shared/api/releases';
import { openGitRepository } from '../../git';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { findRepoRoot } from '../repoRoot';

interface PublishFlags {
  server?: string;
  json?: boolean;
  commit: boolean;
}

/**
 * The signed release: published now, or — when an earlier run published it but could not
 * write the lock — the one the server already holds, so a failed run can simply be repeated.
 */
async function releaseFor(
  client: PromptOpsClient,
  id: string,
  headHash: string,
): Promise<{ release: SignedReleaseDto; already: boolean }> {
  try {
    return { release: (await client.publish(id, headHash)).release, already: false };
  } catch (err) {
    if (!(err instanceof PromptOpsApiError) || err.code !== 'already_published') throw err;
    const existing = (await client.getReview(id)).release;
    if (!existing || existing.sha256 !== headHash) throw err;
    return { release: existing, already: true };
  }
}

/** `promptops publish <id>`: publish an approved review, write `.promptops/published.yaml`, commit it with the prompt. */
export function register(program: Command): void {
  program
    .command('publish')
    .description(
      'Publish an approved review: the server signs a release record, which is written into .promptops/published.yaml and committed together with the prompt. ' +
        'Refused (exit 1) when the file on disk is not the approved head, the approval rule is not met, or you may not publish there.',
    )
    .argument('<id>', 'the review number')
    .option('--no-commit', 'write the lock file but do not commit')
    .option('--server <url>', 'the server (default: see `promptops login --help`)')
    .option('--json', 'print JSON for machines')
    .action((id: string, flags: PublishFlags) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const review = await client.getReview(id);
        const root = findRepoRoot() ?? process.cwd();
        const file = join(root, review.path);
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch {
          throw new Error(`publish: ${review.path} is not in ${root}; run this in the repository the review is about`);
        }
        const onDisk = contentSha256(bytes);
        if (onDisk !== review.headHash) {
          process.stderr.write(
            `promptops: ${review.path} on disk (sha256 ${onDisk.slice(0, 12)}) is not the approved head of review #${id} (${review.headHash.slice(0, 12)}); ` +
              `put the reviewed version in place${review.gitCommit ? ` (git checkout ${review.gitCommit.slice(0, 12)} -- ${review.path})` : ''} and run again.\n`,
          );
          process.exitCode = 1;
          return;
        }
        const { release, already } = await releaseFor(client, id, review.headHash);
        const lockFile = join(root, RELEASE_LOCK_PATH);
        let lockText: string | undefined;
        try {
          lockText = readFileSync(lockFile, 'utf8');
        } catch {
          lockText = undefined;
        }
        mkdirSync(dirname(lockFile), { recursive: true });
        writeFileSync(lockFile, upsertRelease(lockText, release));
        let commit: string | undefined;
        if (flags.commit) {
          const repo = await openGitRepository(root);
          const before = await repo.head();
          // Nothing to commit: an earlier run committed both already.
          commit =
            (await repo.commit(
              [review.path, RELEASE_LOCK_PATH],
              `Publish ${review.path} to ${release.env} (review #${id})`,
            )) ?? before;
        }
        if (flags.json)
          return printJson({ release, alreadyPublished: already, lockFile: RELEASE_LOCK_PATH, commit: commit ?? null });
        process.stdout.write(
          `${already ? 'Already published' : 'Published'} ${release.path} to ${release.workspace}/${release.env} from review #${id} ` +
            `(approved by ${release.approvers.join(', ')}; signed with key ${release.keyId}).\n` +
            `Wrote ${RELEASE_LOCK_PATH}${commit ? ` and committed ${commit.slice(0, 12)}` : ''}.\n`,
        );
      }),
    );
}
