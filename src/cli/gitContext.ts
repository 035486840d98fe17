import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { PushPublishPorts } from '../workflows/pushPublish';
import { reviewBaseCommit } from '../workflows/reviewBaseCommit';
import { temporaryFolder } from '../workflows/temporaryFolder';
import { RELEASE_REMOTE, releaseBranchOfTree } from '../workflows/releaseTarget';
import { openGitRepository, type GitRepository } from '../git';
import { NodeWorkingTree } from './nodeWorkingTree';
import { findRepoRoot } from './repoRoot';

/** The git repository around the current folder and its working tree, for the review workflows. */
export async function openWorkingRepository(command: string): Promise<{ repo: GitRepository; tree: NodeWorkingTree }> {
  const repo = await openGitRepository(process.cwd()).catch(() => {
    throw new Error(
      `${command}: ${process.cwd()} is not in a git repository; run this in a clone of the prompts repository`,
    );
  });
  return { repo, tree: new NodeWorkingTree(repo.root) };
}

/** A file in the user's repository, with what git knows about it. */
export interface RepoFile {
  root: string;
  /** Repo-relative, forward slashes. */
  path: string;
  /** The git repository, when the folder is one. */
  repo: GitRepository | undefined;
}

export async function locateRepoFile(file: string): Promise<RepoFile> {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new Error(`${file} does not exist`);
  const repo = await openGitRepository(abs.slice(0, abs.lastIndexOf(sep)) || sep).catch(() => undefined);
  const root = repo?.root ?? findRepoRoot(abs) ?? process.cwd();
  return { root, path: relative(root, abs).split(sep).join('/'), repo };
}

export interface ReviewSource {
  content: string;
  gitBranch?: string;
  gitCommit?: string;
}

/**
 * What `review request` sends besides the file: the branch, and the commit the change is
 * based on (`reviewBaseCommit`), so a reviewer's own git can show what changed. The server
 * still compares with its own published version.
 */
export async function reviewSource(file: RepoFile): Promise<ReviewSource> {
  const content = readFileSync(join(file.root, file.path), 'utf8');
  if (!file.repo) return { content };
  const [branch, baseCommit] = await Promise.all([
    file.repo.currentBranch(),
    reviewBaseCommit(file.repo, file.path, content),
  ]);
  return {
    content,
    ...(branch ? { gitBranch: branch } : {}),
    ...(baseCommit ? { gitCommit: baseCommit } : {}),
  };
}

export { RELEASE_REMOTE } from '../workflows/releaseTarget';

/** The release branch for this clone, with the access file's `releaseBranch` as it is in the working tree. */
export function releaseBranchOf(repo: GitRepository, remote: string = RELEASE_REMOTE): Promise<string> {
  return releaseBranchOfTree(repo, new NodeWorkingTree(repo.root), remote);
}

export { temporaryFolder } from '../workflows/temporaryFolder';

/**
 * What a `--push` flow needs from a terminal besides the server and the clone: a temporary
 * folder for its worktree, a working tree over it, and progress on stderr (none with --json).
 */
export function terminalWorktreePorts(
  json: boolean | undefined,
): Pick<PushPublishPorts, 'tempDir' | 'openTree' | 'progress'> {
  return {
    tempDir: temporaryFolder,
    openTree: (root) => new NodeWorkingTree(root),
    progress: json ? undefined : (m) => process.stderr.write(`${m}\n`),
  };
}
