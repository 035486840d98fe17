import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openGitRepository } from '../../git';
import { CHAINED_HOOK_NAME, installPreCommitHook, preCommitHookScript } from '../preCommitHook';

/** `promptops hooks install`: the pre-commit hook running `promptops check --staged`. */
export function register(program: Command): void {
  const hooks = program.command('hooks').description('Manage the git hooks PromptOps installs.');
  hooks
    .command('install')
    .description(
      `Install a pre-commit hook that runs \`promptops check --staged\`. An existing pre-commit hook is kept as ${CHAINED_HOOK_NAME} ` +
        'and runs first; installing again only refreshes the PromptOps hook. Honours core.hooksPath.',
    )
    .action(async () => {
      const repo = await openGitRepository(process.cwd());
      const cli = process.argv[1] && existsSync(process.argv[1]) ? resolve(process.argv[1]) : undefined;
      const { outcome, path } = await installPreCommitHook(
        await repo.hooksDir(),
        preCommitHookScript(process.execPath, cli),
      );
      const note =
        outcome === 'chained'
          ? ` (the existing hook was kept as ${CHAINED_HOOK_NAME} and runs first)`
          : outcome === 'updated'
            ? ' (updated the existing PromptOps hook)'
            : '';
      process.stderr.write(`promptops hooks: installed ${path}${note}\n`);
    });
}
