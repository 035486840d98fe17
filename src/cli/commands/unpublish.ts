import type { Command } from 'commander';
import { RELEASE_LOCK_PATH } from '../../core/release/releaseLock';
import { UNPUBLISHED_PATH } from '../../core/release/unpublishedFile';
import { unpublishAndPush, type UnpublishPushOutcome } from '../../workflows/unpublishAndPush';
import { unpublishPrompt, type UnpublishOutcome } from '../../workflows/unpublishPrompt';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { localSyncLine } from '../localSyncLine';
import { openWorkingRepository, RELEASE_REMOTE, releaseBranchOf, terminalWorktreePorts } from '../gitContext';

interface UnpublishFlags {
  env: string;
  server?: string;
  json?: boolean;
  commit: boolean;
  push?: boolean;
}

/** `promptops unpublish <path> --env E`: the shared flow (`src/workflows/unpublishPrompt.ts`) from a terminal. */
export function register(program: Command): void {
  program
    .command('unpublish')
    .description(
      `Take a published prompt out of an env: the server (prompt.publish there) retires its newest release and signs an unpublish record, ` +
        `which is written into ${UNPUBLISHED_PATH} while the entry leaves ${RELEASE_LOCK_PATH}; both are committed together. ` +
        '`promptops verify` accepts a removed lock entry only with such a record. The prompt file stays; the runtime loader reports the prompt as unpublished. ' +
        'Publishing the path again later (a new review) is a new, newer release. Run again after a failure: the server returns the same record. ' +
        'With --push: done on the release branch in a temporary worktree at the remote tip (your working tree is not touched) and pushed; ' +
        'done again on the new tip when someone pushed first; a protected release branch gets a branch of its own.',
    )
    .argument('<path>', 'the prompt file, relative to the repository root')
    .requiredOption('--env <env>', 'the env to unpublish it from')
    .option('--no-commit', 'write the lock and the record but do not commit')
    .option('--push', `commit on the release branch and push it to ${RELEASE_REMOTE}`)
    .option('--server <url>', 'the server (default: see `promptops login --help`)')
    .option('--json', 'print JSON for machines')
    .action((path: string, flags: UnpublishFlags) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const { repo, tree } = await openWorkingRepository('unpublish');
        const target = path.replace(/\\/g, '/');
        if (flags.push) {
          if (!flags.commit) throw new Error('unpublish: --push and --no-commit cannot go together');
          const pushed = await unpublishAndPush(
            target,
            flags.env,
            { client, repo, tree, ...terminalWorktreePorts(flags.json) },
            { remote: RELEASE_REMOTE, branch: await releaseBranchOf(repo) },
          );
          const { record } = pushed.unpublish;
          if (flags.json)
            return printJson({
              record,
              alreadyUnpublished: pushed.unpublish.alreadyUnpublished,
              files: [RELEASE_LOCK_PATH, UNPUBLISHED_PATH],
              commit: pushed.result.commit,
              push: {
                remote: pushed.remote,
                branch: pushed.branch,
                ...pushed.result,
                localSync: pushed.localSync ?? null,
              },
            });
          process.stdout.write(`${unpublishedLine(pushed.unpublish)}\n${pushLines(target, flags.env, pushed)}`);
          if (pushed.result.kind === 'kept') process.exitCode = 1;
          return;
        }
        const outcome = await unpublishPrompt(
          target,
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
        process.stdout.write(`${unpublishedLine(outcome)}\n${local}\n`);
      }),
    );
}

function unpublishedLine({ record, alreadyUnpublished }: UnpublishOutcome): string {
  return (
    `${alreadyUnpublished ? 'Already unpublished' : 'Unpublished'} ${record.path} from ${record.env} ` +
    `(retired review #${record.reviewId}, published ${record.publishedAt}; signed with key ${record.keyId}).`
  );
}

function pushLines(path: string, env: string, outcome: UnpublishPushOutcome): string {
  const { remote, branch, result } = outcome;
  const short = result.commit.slice(0, 12);
  const again = `promptops unpublish ${path} --env ${env} --push`;
  switch (result.kind) {
    case 'pushed': {
      const where = result.alreadyThere
        ? `${remote}/${branch} already holds this unpublish (${short}).`
        : `Pushed ${short} (${RELEASE_LOCK_PATH} and ${UNPUBLISHED_PATH}) to ${remote}/${branch}` +
          (result.attempts > 1 ? `, done again on the new tip after ${result.attempts - 1} rejected push(es).` : '.');
      return `${where}\n${localSyncLine(outcome.localSync, branch, 'unpublish')}\n`;
    }
    case 'pull-request':
      return (
        `${remote} refused a push to ${branch} (${result.detail}): it is protected.\n` +
        `Pushed ${short} to ${remote}/${result.ownBranch} instead: the prompt stays published in every clone of ${branch} until that branch is merged.\n`
      );
    case 'kept':
      return (
        `Nothing was pushed: ${result.detail}\n` +
        `The unpublish commit ${short} is kept on your local branch ${result.localBranch}. When you may push, run:\n` +
        `  git push ${remote} ${result.localBranch}:${branch}\n` +
        `or run \`${again}\` again.\n`
      );
  }
}
