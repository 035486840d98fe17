import { stillDeletedMessage } from '../../core/access/deletedWorkspaceAdvice';
import type { Command } from 'commander';
import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import { POLICY_LOCK_PATH } from '../../core/release/policyLock';
import { applyCommittedPolicy } from '../../workflows/applyPolicy';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors, UsageError } from '../apiErrors';
import { openWorkingRepository, RELEASE_REMOTE } from '../gitContext';

/**
 * `promptops apply [--commit REV]` (admin): the access file as committed at a pushed commit
 * (default the tip of the release branch) becomes the server's; the server records the
 * commit and signs a policy record, written to `.promptops/policy.lock`.
 */
export function register(program: Command): void {
  program
    .command('apply')
    .description(
      `Apply ${ACCESS_FILE_PATH} as committed on the release branch (releaseBranch in the access file, else the remote default branch): ` +
        `the server records the commit and signs a policy record, written to ${POLICY_LOCK_PATH} for you to commit. ` +
        'Uncommitted or unpushed changes are refused. When the access file in force has policyApprovals, the change must first be reviewed ' +
        `(\`promptops review request ${ACCESS_FILE_PATH}\`) and approved by other admins. Admin only. Exit 1 when refused.`,
    )
    .argument('[file]', 'no longer accepted: apply reads the access file from a commit, never from a file')
    .option('--commit <rev>', 'apply from this pushed commit instead of the tip of the release branch')
    .option('--server <url>', 'the server (default: see `promptops login --help`)')
    .option('--json', 'print JSON for machines')
    .action((file: string | undefined, flags: { commit?: string; server?: string; json?: boolean }) =>
      reportApiErrors(async () => {
        if (file !== undefined)
          throw new UsageError(
            `apply: a FILE is no longer accepted (${file}); apply takes ${ACCESS_FILE_PATH} from a commit on the release branch: commit and push it, then run \`promptops apply\` (or --commit REV)`,
          );
        const client = connect(flags.server);
        const { repo, tree } = await openWorkingRepository('apply');
        const outcome = await applyCommittedPolicy(
          { repo, tree, client },
          { remote: RELEASE_REMOTE, ...(flags.commit !== undefined ? { commit: flags.commit } : {}) },
        );
        if (flags.json)
          return printJson({ ...outcome.response, commit: outcome.commit, lockWritten: outcome.lockWritten });
        const { policy, changed, createdWorkspaces, deletedWorkspaces } = outcome.response;
        const from = `commit ${outcome.commit.slice(0, 7)} (${outcome.remote}/${outcome.foundOn})`;
        process.stdout.write(
          changed
            ? `Applied ${ACCESS_FILE_PATH} from ${from} as version ${policy.version} (sha256 ${policy.sha256.slice(0, 12)}).\n`
            : `Unchanged: the server already has this access file (version ${policy.version}).\n`,
        );
        if (createdWorkspaces.length) process.stdout.write(`Created workspaces: ${createdWorkspaces.join(', ')}\n`);
        if (deletedWorkspaces.length) process.stdout.write(`${stillDeletedMessage(deletedWorkspaces)}\n`);
        if (outcome.lockWritten)
          process.stdout.write(
            `Wrote ${POLICY_LOCK_PATH} (the server's signed record of this version): commit and push it; ` +
              '`promptops verify --base` accepts a change to the access file only with it.\n',
          );
      }),
    );
}
