import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cliLauncherLines } from './hookCliLauncher';

/** Marks the hook as ours, so installing again refreshes it. */
export const PRE_RECEIVE_MARKER = '# promptops-pre-receive-hook v1';

/**
 * The server-side hook for self-hosted git: every pushed ref update runs
 * `promptops verify --base <old> --head <new>` (a new branch is judged from the default
 * branch's tip), and any problem refuses the whole push; git shows the pusher verify's lines.
 * Deletions pass. `--ref` lets a review branch carry an access file change still waiting for
 * its signed policy record (apply reads it from there); the release branch never takes one.
 * The pushed objects are visible to verify (git's quarantine environment is
 * inherited).
 */
export function preReceiveHookScript(nodePath: string, cliPath: string | undefined): string {
  return [
    '#!/bin/sh',
    PRE_RECEIVE_MARKER,
    '# Installed by `promptops hooks install --pre-receive`. Refuses pushes whose new commits',
    '# fail `promptops verify` (signatures, hashes, who changed what).',
    ...cliLauncherLines(nodePath, cliPath),
    'status=0',
    'while read -r old new ref; do',
    '  case "$new" in *[!0]*) ;; *) continue ;; esac',
    '  case "$old" in',
    '    *[!0]*) base=$old ;;',
    '    *) base=$(git rev-parse -q --verify "HEAD^{commit}") || continue ;;',
    '  esac',
    '  echo "promptops: checking $ref" >&2',
    '  promptops_cli verify --base "$base" --head "$new" --ref "$ref" >&2 || status=1',
    'done',
    'exit $status',
    '',
  ].join('\n');
}

/** Writes the pre-receive hook into a bare repository's hooks folder; never over a foreign hook. */
export async function installPreReceiveHook(
  hooksDir: string,
  script: string,
): Promise<{ path: string; updated: boolean }> {
  const path = join(hooksDir, 'pre-receive');
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing !== undefined && !existing.includes(PRE_RECEIVE_MARKER))
    throw new Error(
      `${path} exists and is not PromptOps's; a pre-receive hook reads the pushed refs once, so merge them by hand ` +
        '(run `promptops verify --base OLD --head NEW` for each ref it reads)',
    );
  await writeFile(path, script, { mode: 0o755 });
  await chmod(path, 0o755);
  return { path, updated: existing !== undefined };
}
