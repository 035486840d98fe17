import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { releaseBranchFor } from '../workflows/releaseBranch';
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
 * What `review request` sends besides the file: the branch, and the commit when the file
 * is committed as it is (so a reviewer can check it out). No base: the server compares
 * with its own published version.
 */
export async function reviewSource(file: RepoFile): Promise<ReviewSource> {
  const content = readFileSync(join(file.root, file.path), 'utf8');
  if (!file.repo) return { content };
  const [headBytes, branch, headSha] = await Promise.all([
    file.repo.fileAt('HEAD', file.path).catch(() => undefined),
    file.repo.currentBranch(),
    file.repo.head(),
  ]);
  const committed = headBytes === undefined ? undefined : new TextDecoder().decode(headBytes);
  return {
    content,
    ...(branch ? { gitBranch: branch } : {}),
    ...(committed === content && headSha ? { gitCommit: headSha } : {}),
  };
}

/** The remote PromptOps pushes to and syncs from. */
export const RELEASE_REMOTE = 'origin';

/**
 * The release branch for this clone: the access file's `releaseBranch` (as it is in the
 * working tree), else the remote's default branch, else the checked-out branch.
 */
export function releaseBranchOf(repo: GitRepository, remote: string = RELEASE_REMOTE): Promise<string> {
  return releaseBranchFor(repo, new NodeWorkingTree(repo.root), remote);
}

/** A fresh temporary folder for a worktree, and how to remove it. */
export async function temporaryFolder(): Promise<{ path: string; dispose(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'promptops-publish-'));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}
