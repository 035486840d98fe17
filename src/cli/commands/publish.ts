import type { Command } from 'commander';
import { RELEASE_LOCK_PATH } from '../../core/release/releaseLock';
import { publishReview } from '../../workflows/publishReview';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { openWorkingRepository } from '../gitContext';

interface PublishFlags {
  server?: string;
  json?: boolean;
  commit: boolean;
}

/** `promptops publish <id>`: the shared publish flow (`src/workflows/publishReview.ts`) from a terminal. */
export function register(program: Command): void {
  program
    .command('publish')
    .description(
      'Publish an approved review: the server signs a release record, which is written into .promptops/published.yaml and committed together with the prompt. ' +
        "When the prompt file is absent or unchanged from HEAD, the review's approved content is taken from the server first, so any up-to-date clone can publish. " +
        'Refused (exit 1, nothing changed) when the file has other local edits, the approval rule is not met, or you may not publish there. ' +
        'Run again after a failure: a review the server already published only finishes the local part.',
    )
    .argument('<id>', 'the review number')
    .option('--no-commit', 'write the prompt and the lock file but do not commit')
    .option('--server <url>', 'the server (default: see `promptops login --help`)')
    .option('--json', 'print JSON for machines')
    .action((id: string, flags: PublishFlags) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const { repo, tree } = await openWorkingRepository('publish');
        const outcome = await publishReview(id, { client, repo, tree }, { commit: flags.commit });
        const { release, commit } = outcome;
        if (flags.json)
          return printJson({
            release,
            alreadyPublished: outcome.alreadyPublished,
            wroteContent: outcome.wroteContent,
            alreadyCommitted: outcome.alreadyCommitted,
            lockFile: RELEASE_LOCK_PATH,
            commit: commit ?? null,
          });
        const local = outcome.alreadyCommitted
          ? `${release.path} and ${RELEASE_LOCK_PATH} are already committed as published (${commit?.slice(0, 12)}); nothing to do.`
          : `${outcome.wroteContent ? `Wrote the approved ${release.path} and ` : 'Wrote '}${RELEASE_LOCK_PATH}${commit ? ` and committed ${commit.slice(0, 12)}` : ''}.`;
        process.stdout.write(
          `${outcome.alreadyPublished ? 'Already published' : 'Published'} ${release.path} to ${release.workspace}/${release.env} from review #${id} ` +
            `(approved by ${release.approvers.join(', ')}; signed with key ${release.keyId}).\n${local}\n`,
        );
      }),
    );
}
