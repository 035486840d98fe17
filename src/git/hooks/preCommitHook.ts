import { chmod, readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cliLauncherLines } from './hookCliLauncher';

/** Marks a hook as ours, so re-installing replaces it instead of chaining to itself. */
export const HOOK_MARKER = '# promptops-pre-commit-hook v1';
/** Where an existing, foreign pre-commit hook is moved; ours runs it first. */
export const CHAINED_HOOK_NAME = 'pre-commit.local';

/**
 * The hook script. It runs a kept `pre-commit.local` first (so an existing hook keeps
 * working), then `promptops check --staged` with, first that exists: the CLI file it was
 * installed with (the extension's own, or the one `promptops hooks install` ran as), the
 * repository's `node_modules/.bin/promptops`, a `promptops` on PATH. With none it says how
 * to install one and refuses the commit (never a registry lookup: `npx` would fetch
 * whatever package is called that).
 *
 * `nodePath` may be VS Code's own executable (Electron): ELECTRON_RUN_AS_NODE makes it run
 * as node, so committing from Source Control needs no node on PATH; node ignores it.
 */
export function preCommitHookScript(nodePath: string, cliPath: string | undefined): string {
  return [
    '#!/bin/sh',
    HOOK_MARKER,
    '# Installed by `promptops hooks install` or the PromptOps extension. Refuses commits that',
    '# change prompts or protected files the committer may not change. A previous pre-commit',
    `# hook, if there was one, was kept as ${CHAINED_HOOK_NAME} and still runs first.`,
    'hook_dir=$(dirname "$0")',
    `if [ -x "$hook_dir/${CHAINED_HOOK_NAME}" ]; then`,
    `  "$hook_dir/${CHAINED_HOOK_NAME}" "$@" || exit $?`,
    'fi',
    ...cliLauncherLines(nodePath, cliPath),
    'promptops_cli check --staged',
    'exit $?',
    '',
  ].join('\n');
}

export type HookInstallOutcome = 'installed' | 'updated' | 'chained';

/**
 * Writes the pre-commit hook into `hooksDir`. Never clobbers a foreign hook: it is
 * renamed to `pre-commit.local` and chained. Installing again only refreshes ours.
 */
export async function installPreCommitHook(
  hooksDir: string,
  script: string,
): Promise<{ outcome: HookInstallOutcome; path: string }> {
  await mkdir(hooksDir, { recursive: true });
  const path = join(hooksDir, 'pre-commit');
  const existing = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  let outcome: HookInstallOutcome = 'installed';
  if (existing !== undefined && existing.includes(HOOK_MARKER)) outcome = 'updated';
  else if (existing !== undefined) {
    const local = join(hooksDir, CHAINED_HOOK_NAME);
    if (
      await readFile(local).then(
        () => true,
        () => false,
      )
    ) {
      throw new Error(
        `${path} exists and so does ${local}; merge them into ${CHAINED_HOOK_NAME} (which the PromptOps hook runs first), remove ${path}, and install again`,
      );
    }
    await rename(path, local);
    await chmod(local, 0o755);
    outcome = 'chained';
  }
  await writeFile(path, script, { mode: 0o755 });
  await chmod(path, 0o755);
  return { outcome, path };
}
