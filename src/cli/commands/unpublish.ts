import type { Command } from 'commander';
import { RELEASE_LOCK_PATH } from '../../core/release/releaseLock';
import { UNPUBLISHED_PATH } from '../../core/release/unpublishedFile';
import { unpublishPrompt } from '../../workflows/unpublishPrompt';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { openWorkingRepository } from '../gitContext';

interface UnpublishFlags {
  env: string;
  server?: string;
  json?: boolean;
  commit: boolean;
}

/** `promptops unpublish <path> --env E`: the shared flow (`src/workflows/unpublishPrompt.ts`) from a terminal. */
export function register(program: Command): void {
  program
    .command('unpublish')
    .description(
      `Take a published prompt out of an env: the server (prompt.publish there) retires its newest release and signs an unpublish record, ` +
        `which is written into ${UNPUBLISHED_PATH} while the entry leaves ${RELEASE_LOCK_PATH}; both are committed together. ` +
        '`promptops verify` accepts a removed lock entry only with such a record. The prompt file stays; the runtime loader reports the prompt as unpublished. ' +
        'Publishing the path again later (a new review) is a new, newer release. Run again after a failure: the server returns the same record.',
    )
    .argument('<path>', 'the prompt file, relative to the repository root')
    .requiredOption('--env <env>', 'the env to unpublish it from')
    .option('--no-commit', 'write the lock and the record but do not commit')
    .option('--server <url>', 'the server (default: see `promptops login --help`)')
    .option('--json', 'print JSON for machines')
    .action((path: string, flags: UnpublishFlags) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const { repo, tree } = await openWorkingRepository('unpublish');
        const outcome = await unpublishPrompt(
          path.replace(/\\/g, '/'),
          flags.env,
          { client, repo, tree },
          {
            commit: flags.commit,
          },
        );
        const { record, commit } = outcome;
        if (flags.json)
          return printJson({
            record,
            alreadyUnpublished: outcome.alreadyUnpublished,
            files: [RELEASE_LOCK_PATH, UNPUBLISHED_PATH],
            commit: commit ?? null,
          });
        const local = outcome.alreadyCommitted
          ? `${RELEASE_LOCK_PATH} and ${UNPUBLISHED_PATH} are already committed as unpublished; nothing to do.`
          : `Wrote ${RELEASE_LOCK_PATH} and ${UNPUBLISHED_PATH}${commit ? ` and committed ${commit.slice(0, 12)}` : ''}.`;
        process.stdout.write(
          `${outcome.alreadyUnpublished ? 'Already unpublished' : 'Unpublished'} ${record.path} from ${record.env} ` +
            `(retired review #${record.reviewId}, published ${record.publishedAt}; signed with key ${record.keyId}).\n${local}\n`,
        );
      }),
    );
}
