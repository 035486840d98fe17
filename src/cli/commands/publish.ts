import type { Command } from 'commander';
import { pullRequestCommands } from '../../core/release/pullRequest';
import { RELEASE_LOCK_PATH } from '../../core/release/releaseLock';
import { publishAndPush, type PushPublishOutcome } from '../../workflows/pushPublish';
import { publishReview, type PublishOutcome } from '../../workflows/publishReview';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { localSyncLine } from '../localSyncLine';
import { openWorkingRepository, RELEASE_REMOTE, releaseBranchOf, terminalWorktreePorts } from '../gitContext';

interface PublishFlags {
  server?: string;
  json?: boolean;
  commit: boolean;
  push?: boolean;
}

/** `promptops publish <id> [--push]`: the shared publish flow (`src/workflows/publishReview.ts`) from a terminal. */
export function register(program: Command): void {
  program
    .command('publish')
    .description(
      'Publish an approved review: the server signs a release record, which is written into .promptops/published.yaml and committed together with the prompt. ' +
        "When the prompt file is absent or unchanged from HEAD, the review's approved content is taken from the server first, so any up-to-date clone can publish. " +
        'Refused (exit 1, nothing changed) when the file has other local edits, the approval rule is not met, or you may not publish there. ' +
        'Run again after a failure: a review the server already published only finishes the local part. ' +
        'With --push: commits on the release branch (releaseBranch in the access file, else the remote default branch) in a temporary worktree at the remote tip, ' +
        'never touching your working tree, and pushes; replayed on the new tip when someone else published meanwhile; ' +
        'a protected release branch gets a branch of its own (promptops/publish-ID) and the command to open the pull request.',
    )
    .argument('<id>', 'the review number')
    .option('--no-commit', 'write the prompt and the lock file but do not commit')
    .option('--push', `commit on the release branch and push it to ${RELEASE_REMOTE}`)
    .option('--server <url>', 'the server (default: see `promptops login --help`)')
    .option('--json', 'print JSON for machines')
    .action((id: string, flags: PublishFlags) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const { repo, tree } = await openWorkingRepository('publish');
        if (flags.push) {
          if (!flags.commit) throw new Error('publish: --push and --no-commit cannot go together');
          const branch = await releaseBranchOf(repo);
          const outcome = await publishAndPush(
            id,
            { client, repo, tree, ...terminalWorktreePorts(flags.json) },
            { remote: RELEASE_REMOTE, branch },
          );
          if (flags.json) return printJson({ ...publishJson(outcome.publish), push: pushJson(outcome) });
          process.stdout.write(`${publishedLine(id, outcome.publish)}\n${pushLines(id, outcome)}`);
          if (outcome.delivery && !outcome.delivery.reported)
            process.stderr.write(
              `promptops publish: the server was not told where the commit went (${outcome.delivery.reason}); ` +
                `\`promptops publish ${id} --push\` again, or \`promptops sync\` once it is merged, tells it.\n`,
            );
          // Not on the release branch: the release waits for a merge, or nothing was pushed.
          if (outcome.result.kind === 'kept') process.exitCode = 1;
          return;
        }
        const outcome = await publishReview(id, { client, repo, tree }, { commit: flags.commit });
        const { release, commit } = outcome;
        if (flags.json) return printJson(publishJson(outcome));
        const local = outcome.alreadyCommitted
          ? `${release.path} and ${RELEASE_LOCK_PATH} are already committed as published (${commit?.slice(0, 12)}); nothing to do.`
          : `${outcome.wroteContent ? `Wrote the approved ${release.path} and ` : 'Wrote '}${RELEASE_LOCK_PATH}${commit ? ` and committed ${commit.slice(0, 12)}` : ''}.`;
        process.stdout.write(`${publishedLine(id, outcome)}\n${local}\n`);
      }),
    );
}

function publishJson(outcome: PublishOutcome) {
  return {
    release: outcome.release,
    alreadyPublished: outcome.alreadyPublished,
    wroteContent: outcome.wroteContent,
    alreadyCommitted: outcome.alreadyCommitted,
    lockFile: RELEASE_LOCK_PATH,
    commit: outcome.commit ?? null,
  };
}

function pushJson(outcome: PushPublishOutcome) {
  return {
    remote: outcome.remote,
    branch: outcome.branch,
    ...outcome.result,
    localSync: outcome.localSync ?? null,
    delivery: outcome.delivery ?? null,
  };
}

function publishedLine(id: string, outcome: PublishOutcome): string {
  const { release } = outcome;
  return (
    `${outcome.alreadyPublished ? 'Already published' : 'Published'} ${release.path} to ${release.workspace}/${release.env} from review #${id} ` +
    `(approved by ${release.approvers.join(', ')}; signed with key ${release.keyId}).`
  );
}

function pushLines(id: string, outcome: PushPublishOutcome): string {
  const { remote, branch, result } = outcome;
  const short = result.commit.slice(0, 12);
  switch (result.kind) {
    case 'pushed': {
      const where = result.alreadyThere
        ? `${remote}/${branch} already holds this publish (${short}).`
        : `Pushed ${short} (prompt and ${RELEASE_LOCK_PATH}) to ${remote}/${branch}` +
          (result.attempts > 1 ? `, replayed on the new tip after ${result.attempts - 1} rejected push(es).` : '.');
      return `${where}\n${localSyncLine(outcome.localSync, branch, 'publish')}\n`;
    }
    case 'pull-request': {
      const pr = pullRequestCommands(branch, result.ownBranch, id);
      return (
        `${remote} refused a push to ${branch} (${result.detail}): it is protected.\n` +
        `Pushed ${short} to ${remote}/${result.ownBranch} instead. The release waits for that branch to be merged into ${branch}; open the pull request with:\n` +
        `  ${pr.gh}\n` +
        `  (GitLab: ${pr.glab})\n`
      );
    }
    case 'kept':
      return (
        `Nothing was pushed: ${result.detail}\n` +
        `The publish commit ${short} is kept on your local branch ${result.localBranch}. When you may push, run:\n` +
        `  git push ${remote} ${result.localBranch}:${branch}\n` +
        `or run \`promptops publish ${id} --push\` again.\n`
      );
  }
}
