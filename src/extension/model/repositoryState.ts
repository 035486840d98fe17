import * as vscode from 'vscode';
import type { LockEntry } from '../../core/release/releaseLock';
import { contentSha256 } from '../../core/release/contentHash';
import type { PromptIndex } from '../../core/index/promptIndex';
import type { GitRepository } from '../../git';
import { loadGit, loadReleaseLock } from '../lazyModules';
import { NO_STATE, type PromptState } from './promptState';

/**
 * Per-prompt git and release state: modified against HEAD (from the git adapter) and
 * published / published-but-changed (from `.promptops/published.yaml` and the file's hash).
 */
export class RepositoryState {
  private modified = new Set<string>();
  private lockEntries: LockEntry[] = [];
  private changedSinceRelease = new Set<string>();
  private git: Promise<GitRepository | undefined> | undefined;

  constructor(
    private readonly root: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  repository(): Promise<GitRepository | undefined> {
    this.git ??= loadGit()
      .then(({ openGitRepository }) => openGitRepository(this.root.fsPath))
      .catch((err: unknown) => {
        this.log.info(`not a git repository (${(err as Error).message}); modified state is not shown`);
        return undefined;
      });
    return this.git;
  }

  stateOf(path: string, env: string): PromptState {
    const release = this.lockEntries.find((e) => e.release.path === path && e.release.env === env);
    if (!release && !this.modified.has(path)) return NO_STATE;
    return {
      modified: this.modified.has(path),
      published: release !== undefined,
      publishedButChanged: release !== undefined && this.changedSinceRelease.has(`${path}\0${env}`),
    };
  }

  async refresh(index: PromptIndex): Promise<void> {
    const repo = await this.repository();
    if (repo) {
      try {
        this.modified = new Set((await repo.workingTreeChanges()).map((c) => c.path));
      } catch (err) {
        this.log.warn(`git status failed: ${(err as Error).message}`);
      }
    }
    const { parseReleaseLock, RELEASE_LOCK_PATH } = await loadReleaseLock();
    const lockText = await readText(vscode.Uri.joinPath(this.root, ...RELEASE_LOCK_PATH.split('/')));
    const parsed = lockText === undefined ? { entries: [] } : parseReleaseLock(lockText);
    this.lockEntries = parsed.entries ?? [];
    const changed = new Set<string>();
    for (const { release } of this.lockEntries) {
      const prompt = index.get(release.path);
      if (!prompt || prompt.env !== release.env) continue;
      const bytes = await readBytes(vscode.Uri.joinPath(this.root, ...release.path.split('/')));
      if (bytes && contentSha256(bytes) !== release.sha256) changed.add(`${release.path}\0${release.env}`);
    }
    this.changedSinceRelease = changed;
  }
}

async function readBytes(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    return undefined;
  }
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const bytes = await readBytes(uri);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}
