import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh temporary folder for `publishAndPush`'s worktree, and how to remove it. Node's file
 * system, which both front ends have (the extension runs as a workspace extension).
 */
export async function temporaryFolder(): Promise<{ path: string; dispose(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'promptops-publish-'));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}
