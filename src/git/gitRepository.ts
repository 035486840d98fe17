import type { PathAttributes } from './checkAttr';

/**
 * The git operations PromptOps needs, behind one small interface so the gate and the
 * publish flow can be tested against a fake and the real thing alike. Paths are
 * repo-relative with forward slashes, as git prints them.
 */
export type ChangeStatus = 'A' | 'M' | 'D' | 'R';

export interface FileChange {
  /** Added, modified, deleted or renamed (a type change or a conflict counts as modified, a copy as added). */
  status: ChangeStatus;
  /** The path after the change (for a deletion, the deleted path). */
  path: string;
  /** For a rename, where the file was before. */
  oldPath?: string;
  /** The new side is a symbolic link (git mode 120000), not a file. */
  symlink?: true;
  /** The blob ids a commit's raw diff names (commitsInRange): before (not for an addition) and after (not for a deletion). */
  oldId?: string;
  newId?: string;
}

/** A change together with the new content: the staged blob, or the working-tree file. */
export interface ChangeWithContent extends FileChange {
  /** Undefined for deletions. */
  bytes: Uint8Array | undefined;
}

/** A file at a revision (`rev` '' means the index); `id`, when a raw diff already named its blob, is read without asking. */
export interface BlobRequest {
  rev: string;
  path: string;
  id?: string;
}

/**
 * Reads through one git process (`cat-file --batch-command`) until closed, however many
 * questions: a run that reads much (verify) opens one instead of a process per read. A whole
 * tree's files (filesAt with many paths) stream from a `--batch` process of their own: faster.
 * Each distinct object is read once; the same bytes object comes back for every request
 * naming it. Questions may be asked concurrently.
 */
export interface GitObjectReader {
  /** Files at many revisions, in request order. */
  blobsAt(requests: readonly BlobRequest[]): Promise<(Uint8Array | undefined)[]>;
  /** Many files at one revision. */
  filesAt(rev: string, paths: readonly string[]): Promise<Map<string, Uint8Array | undefined>>;
  /** Each commit's raw object, the bytes its signature covers; undefined for a sha that names no commit. */
  commitObjects(shas: readonly string[]): Promise<Map<string, Buffer | undefined>>;
  /** Ends the git process. */
  close(): Promise<void>;
}

export interface CommitInfo {
  sha: string;
  /** Parent shas; none for a root commit, two or more for a merge. */
  parents: string[];
  authorEmail: string;
  authorName: string;
  subject: string;
}

export interface CommitWithChanges extends CommitInfo {
  /**
   * Files the commit changed relative to its parent. For a merge, only files that differ
   * from every parent: changes the merge itself made, not the ones it brought in (those
   * commits are in the range and are checked on their own).
   */
  changes: FileChange[];
}

/**
 * How pushing one branch ended: `pushed` (or already there); `stale`: the remote's tip moved
 * on (someone else pushed first: fetch and replay); `refused`: the receiving side declined it
 * (a hook, a protected branch); `failed`: nothing was pushed (unreachable, no access).
 * `detail` is for people (git's summary or message), never for deciding.
 */
export type PushOutcome =
  | { kind: 'pushed'; upToDate: boolean }
  | { kind: 'stale'; detail: string }
  | { kind: 'refused'; detail: string }
  | { kind: 'failed'; detail: string };
export type { PathAttributes } from './checkAttr';

/** The repository's settings that decide whether git rewrites files' line endings (raw, as git reports them). */
export interface LineEndingSettings {
  /** `git config core.autocrlf` as written (`true`, `input`, …); undefined when unset. */
  autocrlf: string | undefined;
  /** The `text` and `eol` attributes of each path asked about (`git check-attr`). */
  attributes: PathAttributes[];
}

export interface GitRepository {
  /** Absolute path of the working tree's top folder. */
  readonly root: string;
  /** What `git commit` would record now: index vs HEAD (vs nothing before the first commit). */
  stagedChanges(): Promise<ChangeWithContent[]>;
  /** Working tree vs HEAD, staged or not, including untracked files that are not ignored. */
  workingTreeChanges(): Promise<ChangeWithContent[]>;
  /** Commits reachable from `head` but not from `base`, oldest first. */
  commitsInRange(base: string, head: string): Promise<CommitWithChanges[]>;
  /**
   * Each commit's raw object (`git cat-file commit`), the bytes its signature covers; one
   * git process for all of them. Undefined for a sha that names no commit.
   */
  commitObjects(shas: readonly string[]): Promise<Map<string, Buffer | undefined>>;
  /** One git process for many reads until closed (see GitObjectReader); the methods above open one per call. */
  objectReader(): GitObjectReader;
  /** The commits of `ancestor..head` that have `ancestor` as an ancestor (`--ancestry-path`). */
  descendantsOf(ancestor: string, head: string): Promise<Set<string>>;
  /** A file's bytes at a revision (`HEAD`, a sha, `:` for the index); undefined when absent there. */
  fileAt(rev: string, path: string): Promise<Uint8Array | undefined>;
  /** Every symbolic link (git mode 120000) in the tree at a revision. */
  symlinksAt(rev: string): Promise<string[]>;
  /**
   * Files at many revisions (a commit range's), in request order; each distinct blob is read
   * once, and the same bytes object is returned for every request naming it.
   */
  blobsAt(requests: readonly BlobRequest[]): Promise<(Uint8Array | undefined)[]>;
  /** Many files at one revision in a single git process. */
  filesAt(rev: string, paths: readonly string[]): Promise<Map<string, Uint8Array | undefined>>;
  /** The checked-out branch; undefined when HEAD is detached. */
  currentBranch(): Promise<string | undefined>;
  /** HEAD's sha; undefined before the first commit. */
  head(): Promise<string | undefined>;
  /** The sha a revision names; throws a clear error when it names nothing. */
  resolveCommit(rev: string): Promise<string>;
  /**
   * Stages exactly `paths` (additions, edits, deletions) and commits only them; returns the
   * new sha, or undefined when those paths hold nothing to commit (known from the index,
   * not from git's message). `env` is added to git's environment (hooks see it), e.g. who
   * is committing.
   */
  commit(
    paths: readonly string[],
    message: string,
    env?: Readonly<Record<string, string>>,
  ): Promise<string | undefined>;
  /** Where git looks for hooks (honours `core.hooksPath`), absolute. */
  hooksDir(): Promise<string>;
  /** The branch `<remote>/HEAD` names (the remote's default branch), when the clone knows it. */
  remoteDefaultBranch(remote: string): Promise<string | undefined>;
  /** The remote's URL as configured (`git remote get-url`); undefined when there is no such remote. */
  remoteUrl(remote: string): Promise<string | undefined>;
  /** `refs/remotes/<remote>/<branch>` as the last fetch left it (no network); undefined when never fetched. */
  remoteTrackingTip(remote: string, branch: string): Promise<string | undefined>;
  /** Fetches `branch` into `refs/remotes/<remote>/<branch>`; returns its tip, undefined when the remote has no such branch. */
  fetchBranch(remote: string, branch: string): Promise<string | undefined>;
  /**
   * Asks `remote` for one commit (by its full sha), falling back to a plain fetch of its
   * branches; true when the commit is in the clone afterwards. Never throws for a remote
   * that is unreachable or does not have it: false.
   */
  fetchCommit(remote: string, sha: string): Promise<boolean>;
  /** Whether `rev` names a commit this clone has. */
  hasCommit(rev: string): Promise<boolean>;
  /** The newest commit reachable from `rev` that changed `path`; undefined when none did. */
  lastCommitChanging(rev: string, path: string): Promise<CommitInfo | undefined>;
  /** Pushes `rev` to `refs/heads/<branch>` on `remote`, never forced; the outcome from `--porcelain` and the exit code. */
  push(remote: string, rev: string, branch: string): Promise<PushOutcome>;
  /** A new worktree at `dir`, detached at `rev`, and the repository seen from it. */
  addWorktree(dir: string, rev: string): Promise<GitRepository>;
  /** Removes a worktree made by addWorktree, with whatever it holds. */
  removeWorktree(dir: string): Promise<void>;
  /** Points branch `name` at `rev` (created or moved; not the checked-out branch). */
  setBranch(name: string, rev: string): Promise<void>;
  /** Whether `ancestor` is reachable from `rev` (the same commit counts). */
  isAncestor(ancestor: string, rev: string): Promise<boolean>;
  /** Fetches every branch of `remote`; the names of those whose tip reaches `rev` (pushed there). */
  remoteBranchesContaining(remote: string, rev: string): Promise<string[]>;
  /** `git merge --ff-only rev`: throws when that is not a fast-forward or local changes are in the way. */
  fastForward(rev: string): Promise<void>;
  /** Puts `paths` back as HEAD has them, in the index and the working tree (deleting files HEAD lacks). */
  restoreToHead(paths: readonly string[]): Promise<void>;
  /**
   * The commit `rev` names and whether the clone is shallow (history is cut off, so a commit
   * range cannot be judged), from one git process. Without
   * `rev`: HEAD, undefined before the first commit; a `rev` that names no commit throws (as resolveCommit).
   * With `base`: its commit too when the same process could name it (else undefined: resolveCommit says why).
   */
  tipAndShallow(rev?: string, base?: string): Promise<{ sha: string | undefined; shallow: boolean; base?: string }>;
  /** A setting as `git config --get` reads it here (repository, user and system files); undefined when unset. */
  configValue(name: string): Promise<string | undefined>;
  /** Writes a setting into this repository's own config (`git config --local`), never the user's global one. */
  setLocalConfig(name: string, value: string): Promise<void>;
  /** What would rewrite `paths`' line endings on checkout or commit: core.autocrlf and their text/eol attributes. */
  lineEndingSettings(paths: readonly string[]): Promise<LineEndingSettings>;
}
