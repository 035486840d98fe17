import { chmod, readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Marks a hook as ours, so re-installing replaces it instead of chaining to itself. */
export const HOOK_MARKER = '# promptops-pre-commit-hook v1';
/** Where an existing, foreign pre-commit hook is moved; ours runs it first. */
export const CHAINED_HOOK_NAME = 'pre-commit.local';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The hook script. It runs a kept `pre-commit.local` first (so an existing hook keeps
 * working), then `promptops check --staged` with the CLI that installed it, falling back
 * to `npx promptops` when that file has moved (e.g. node_modules was reinstalled).
 */
export function preCommitHookScript(nodePath: string, cliPath: string | undefined): string {
  return [
    '#!/bin/sh',
    HOOK_MARKER,
    '# Installed by `promptops hooks install`. Refuses commits that change prompts or',
    '# protected files the committer may not change. A previous pre-commit hook, if there',
    `# was one, was kept as ${CHAINED_HOOK_NAME} and still runs first.`,
    'hook_dir=$(dirname "$0")',
    `if [ -x "$hook_dir/${CHAINED_HOOK_NAME}" ]; then`,
    `  "$hook_dir/${CHAINED_HOOK_NAME}" "$@" || exit $?`,
    'fi',
    `PROMPTOPS_NODE=${quote(nodePath)}`,
    `PROMPTOPS_CLI=${quote(cliPath ?? '')}`,
    'if [ ! -x "$PROMPTOPS_NODE" ]; then PROMPTOPS_NODE=node; fi',
    'if [ -n "$PROMPTOPS_CLI" ] && [ -f "$PROMPTOPS_CLI" ]; then',
    '  exec "$PROMPTOPS_NODE" "$PROMPTOPS_CLI" check --staged',
    'fi',
    'exec npx --no-install promptops check --staged',
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
