import { Option, type Command } from 'commander';
import { BUILTIN_ROLES } from '../../core/policy/actions';
import { openGitRepository } from '../../git';
import { checkRepository } from '../gate/checkRepository';
import { resolveActingUser } from '../actingUser';

/** `promptops check [--staged]`: the changes the current user may not make, with the reason; exit 1 when any. */
export function register(program: Command): void {
  program
    .command('check')
    .description(
      'List changed prompts and protected files you may not change, as "path: reason" (exit 1 when any). ' +
        'Decides with the access file at HEAD. Identity: --user/--role, else PROMPTOPS_USER and PROMPTOPS_ROLE, else your SSH signing key (git config user.signingkey) in the signed user directory at HEAD, else the signed-in user (`promptops login`).',
    )
    .option('--staged', 'check what is staged for commit (the pre-commit hook uses this), not the working tree')
    .option('--user <name>', 'who is committing')
    .addOption(new Option('--role <role>', 'their org role on the server').choices([...BUILTIN_ROLES]))
    .option('--json', 'print JSON for machines')
    .action(async (options: { staged?: boolean; user?: string; role?: string; json?: boolean }) => {
      const repo = await openGitRepository(process.cwd());
      const acting = await resolveActingUser(options, repo);
      const actor = { username: acting.username, role: acting.role };
      const report = await checkRepository(repo, actor, { staged: options.staged === true });
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ user: actor, staged: options.staged === true, changed: report.changed, problems: report.problems }, null, 2)}\n`,
        );
      } else {
        for (const p of report.problems) process.stdout.write(`${p.path}: ${p.reason}\n`);
        const what = options.staged ? 'staged change' : 'changed file';
        const n = report.problems.length;
        process.stderr.write(
          n === 0
            ? `promptops check: ${report.changed} ${what}${report.changed === 1 ? '' : 's'}, all allowed for ${actor.username} (${actor.role}; by ${acting.source})\n`
            : `promptops check: ${n} file${n === 1 ? '' : 's'} ${actor.username} (${actor.role}) may not change (identified by ${acting.source})\n`,
        );
      }
      process.exitCode = report.problems.length > 0 ? 1 : 0;
    });
}
