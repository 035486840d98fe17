import * as vscode from 'vscode';
import type { LockEntry } from '../../core/release/releaseLock';
import { contentSha256 } from '../../core/release/contentHash';
import type { PromptIndex } from '../../core/index/promptIndex';
import type { GitRepository } from '../../git';
import { loadGit, loadReleaseLock, loadReleaseTarget, loadSyncUpstream } from '../lazyModules';
import { NO_STATE, type PromptState } from './promptState';

/** The remote and release branch of this clone, as publish --push and sync use them. */
export interface ReleaseTarget {
  remote: string;
  branch: string;
  /** The remote's URL; undefined when the clone has no such remote (nothing to push to). */
  remoteUrl: string | undefined;
}

/** The release branch's remote tip as last fetched, when it is ahead of the checked-out release branch. */
export interface UpstreamState {
  remote: string;
  branch: string;
  tip: string;
}

/**
 * Per-prompt git and release state: modified against HEAD (from the git adapter) and
 * published / published-but-changed (from `.promptops/published.yaml` and the file's hash).
 */
export class RepositoryState {
  private modified = new Set<string>();
  private lockEntries: LockEntry[] = [];
  private changedSinceRelease = new Set<string>();
  private git: Promise<GitRepository | undefined> | undefined;
  private publishedUpstream = new Set<string>();
  private upstreamValue: UpstreamState | undefined;

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
      publishedUpstream: this.publishedUpstream.has(path),
    };
  }

  /** Set when the remote release branch (as last fetched) is ahead of the checked-out one: Sync can fast-forward. */
  get upstream(): UpstreamState | undefined {
    return this.upstreamValue;
  }

  /** The remote and release branch (the access file's `releaseBranch`, else the remote's default, else the current branch). */
  async releaseTarget(configured: string | undefined): Promise<ReleaseTarget | undefined> {
    const repo = await this.repository();
    if (!repo) return undefined;
    const { RELEASE_REMOTE, releaseBranchFor } = await loadReleaseTarget();
    try {
      const branch = await releaseBranchFor(repo, configured, RELEASE_REMOTE);
      return { remote: RELEASE_REMOTE, branch, remoteUrl: await repo.remoteUrl(RELEASE_REMOTE) };
    } catch (err) {
      this.log.info(`no release branch: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Fetches the release branch (Refresh does, so the Prompts view can show what was published upstream). */
  async fetchUpstream(configured: string | undefined): Promise<void> {
    const target = await this.releaseTarget(configured);
    if (!target?.remoteUrl) return;
    try {
      await (await this.repository())?.fetchBranch(target.remote, target.branch);
    } catch (err) {
      this.log.warn(`fetching ${target.remote}/${target.branch} failed: ${(err as Error).message}`);
    }
  }

  /**
   * The release lock's state now; what git says (modified, upstream) once git may start
   * (`startGit`), awaited only from then on: before, a later read covers the newest index.
   */
  async refresh(index: PromptIndex): Promise<void> {
    await this.refreshReleaseLock(index);
    const git = this.refreshGitState(index);
    if (this.gitStarted) await git;
  }

  /**
   * Lets git processes start. Each start blocks the extension host's thread (tens of ms,
   * hundreds on a loaded machine: bench:activation), so activation starts none: the model
   * calls this once the index and enforcement have settled. Resolves when the state is read.
   */
  startGit(): Promise<void> {
    this.gitStarted = true;
    this.openGitGate();
    return this.gitQueue;
  }

  /** Resolves when no read of git state is waiting or running (after `startGit`). */
  async gitSettled(): Promise<void> {
    if (!this.gitStarted) return;
    let queue: Promise<void>;
    do await (queue = this.gitQueue);
    while (queue !== this.gitQueue);
  }

  private gitStarted = false;
  private openGitGate: () => void = () => undefined;
  /** Reads of git state, one at a time, behind the gate `startGit` opens. */
  private gitQueue = new Promise<void>((open) => (this.openGitGate = open));
  /** A queued read that has not begun: later refreshes join it (it reads the newest index). */
  private gitWaiting: Promise<void> | undefined;
  private gitIndex: PromptIndex | undefined;

  private refreshGitState(index: PromptIndex): Promise<void> {
    this.gitIndex = index;
    if (this.gitWaiting) return this.gitWaiting;
    const read = this.gitQueue.then(() => {
      this.gitWaiting = undefined;
      return this.readGitState(this.gitIndex!);
    });
    this.gitWaiting = read;
    this.gitQueue = read.catch(() => undefined);
    return read;
  }

  private async readGitState(index: PromptIndex): Promise<void> {
    const repo = await this.repository();
    if (repo) {
      try {
        this.modified = new Set((await repo.workingTreeChanges()).map((c) => c.path));
      } catch (err) {
        this.log.warn(`git status failed: ${(err as Error).message}`);
      }
    }
    await this.refreshUpstream(index);
  }

  private async refreshReleaseLock(index: PromptIndex): Promise<void> {
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

  /**
   * Which local changes upstream has published (core's planUpstreamSync, as `sync` decides),
   * from the last fetch: only while the release branch is checked out and can fast-forward.
   */
  private async refreshUpstream(index: PromptIndex): Promise<void> {
    let upstream: UpstreamState | undefined;
    const published = new Set<string>();
    try {
      const repo = await this.repository();
      const { RELEASE_REMOTE } = await loadReleaseTarget();
      // One git process for a clone without the remote (nothing upstream to compare with).
      const hasRemote = repo && (await repo.remoteUrl(RELEASE_REMOTE)) !== undefined;
      const target = hasRemote ? await this.releaseTarget(index.policy.releaseBranch) : undefined;
      const tip = target?.remoteUrl ? await repo!.remoteTrackingTip(target.remote, target.branch) : undefined;
      if (repo && target && tip && (await repo.currentBranch()) === target.branch) {
        const head = await repo.head();
        if (head !== tip && (!head || (await repo.isAncestor(head, tip)))) {
          upstream = { remote: target.remote, branch: target.branch, tip };
          const { planFor } = await loadSyncUpstream();
          for (const v of (await planFor(repo, tip)).verdicts)
            if (v.verdict === 'published-upstream') published.add(v.path);
        }
      }
    } catch (err) {
      this.log.warn(`comparing with the remote release branch failed: ${(err as Error).message}`);
    }
    this.upstreamValue = upstream;
    this.publishedUpstream = published;
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
