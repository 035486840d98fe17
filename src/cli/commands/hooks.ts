import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openGitRepository, type GitRepository } from '../../git';
import { CHAINED_HOOK_NAME, installPreCommitHook, preCommitHookScript } from '../../git/hooks/preCommitHook';
import { installPreReceiveHook, preReceiveHookScript } from '../../git/hooks/preReceiveHook';

/** The CLI file the hooks should run: this one, when it is a file (not `npx`). */
function thisCli(): string | undefined {
  return process.argv[1] && existsSync(process.argv[1]) ? resolve(process.argv[1]) : undefined;
}

/** Installs the pre-commit hook in `repo` (also `promptops init`); returns the line to print. */
export async function installPreCommitHookIn(repo: GitRepository): Promise<string> {
  const { outcome, path } = await installPreCommitHook(
    await repo.hooksDir(),
    preCommitHookScript(process.execPath, thisCli()),
  );
  const note =
    outcome === 'chained'
      ? ` (the existing hook was kept as ${CHAINED_HOOK_NAME} and runs first)`
      : outcome === 'updated'
        ? ' (updated the existing PromptOps hook)'
        : '';
  return `installed ${path}${note}`;
}

/** `promptops hooks install [--pre-receive BARE_REPO]`. */
export function register(program: Command): void {
  const hooks = program.command('hooks').description('Manage the git hooks PromptOps installs.');
  hooks
    .command('install')
    .description(
      `Install a pre-commit hook that runs \`promptops check --staged\`. An existing pre-commit hook is kept as ${CHAINED_HOOK_NAME} ` +
        'and runs first; installing again only refreshes the PromptOps hook. Honours core.hooksPath. ' +
        'With --pre-receive, instead install into a bare repository (self-hosted git) a pre-receive hook that refuses pushes whose new commits fail `promptops verify`.',
    )
    .option('--pre-receive <bare-repo>', 'install the pre-receive hook into this bare repository')
    .action(async (flags: { preReceive?: string }) => {
      if (flags.preReceive !== undefined) {
        const repo = await openGitRepository(flags.preReceive);
        const { path, updated } = await installPreReceiveHook(
          await repo.hooksDir(),
          preReceiveHookScript(process.execPath, thisCli()),
        );
        process.stderr.write(`promptops hooks: ${updated ? 'updated' : 'installed'} ${path}\n`);
        return;
      }
      const repo = await openGitRepository(process.cwd());
      process.stderr.write(`promptops hooks: ${await installPreCommitHookIn(repo)}\n`);
    });
}
