import { lstat, readFile, readlink, rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { parseCatFileBatch } from './catFileBatch';
import { CatFileSession } from './catFileSession';
import { parseCheckAttrZ } from './checkAttr';
import { COMMIT_LOG_FORMAT, parseCommitLog } from './commitLog';
import type {
  BlobRequest,
  ChangeWithContent,
  CommitInfo,
  CommitWithChanges,
  FileChange,
  GitObjectReader,
  GitRepository,
  LineEndingSettings,
  PushOutcome,
} from './gitRepository';
import { GitCommandError, gitText, runGit } from './gitRunner';
import { parseNulList, parseRawDiffZ } from './nameStatus';
import { parseRangeLogZ, RANGE_LOG_ARGS } from './rangeLog';
import { parsePushPorcelain, pushRefStatus } from './pushPorcelain';
import { parseLsFilesStageZ, parseLsTreeSymlinksZ, parseLsTreeZ } from './treeListing';

/** The id of git's empty tree: what "before the first commit" compares against. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
/** Up to this many files, `filesAt` names them directly instead of listing the tree. */
const FEW_PATHS = 64;

/** GitRepository over the real `git` binary, every call through the one runner (`gitRunner.ts`). */
export class GitCliRepository implements GitRepository {
  private constructor(readonly root: string) {}

  /** The repository that `dir` is in; throws a clear error when it is in none. */
  static async open(dir: string): Promise<GitCliRepository> {
    let top: string;
    try {
      // A bare repository (a pre-receive hook's) has no working tree: its folder is the root.
      const [bare, gitDir] = (await gitText(resolve(dir), ['rev-parse', '--is-bare-repository', '--absolute-git-dir']))
        .trim()
        .split('\n');
      top = bare === 'true' ? gitDir : (await gitText(resolve(dir), ['rev-parse', '--show-toplevel'])).trim();
    } catch {
      throw new Error(`${resolve(dir)} is not inside a git repository`);
    }
    return new GitCliRepository(top);
  }

  async stagedChanges(): Promise<ChangeWithContent[]> {
    const changes = parseRawDiffZ(await this.git(['diff', '--cached', '--raw', '-z', '-M', '--no-ext-diff']));
    const blobs = await this.filesAt(
      '',
      changes.filter((c) => c.status !== 'D').map((c) => c.path),
    );
    return changes.map((c) => ({ ...c, bytes: c.status === 'D' ? undefined : blobs.get(c.path) }));
  }

  async workingTreeChanges(): Promise<ChangeWithContent[]> {
    const base = (await this.head()) ?? EMPTY_TREE;
    const tracked = parseRawDiffZ(await this.git(['diff', base, '--raw', '-z', '-M', '--no-ext-diff']));
    const untracked = parseNulList(await this.git(['ls-files', '--others', '--exclude-standard', '-z']));
    const added = await Promise.all(
      untracked.map(async (path) => {
        const link = (await lstat(join(this.root, path)).catch(() => undefined))?.isSymbolicLink();
        return { status: 'A' as const, path, ...(link ? { symlink: true as const } : {}) };
      }),
    );
    const changes: FileChange[] = [...tracked, ...added];
    // A symlink's content is where it points, as git stores it: never the file it points to.
    const contentOf = async (c: FileChange) =>
      c.symlink
        ? Buffer.from(await readlink(join(this.root, c.path)), 'utf8')
        : await readFile(join(this.root, c.path));
    return Promise.all(
      changes.map(async (c) => ({
        ...c,
        bytes: c.status === 'D' ? undefined : await contentOf(c).catch(() => undefined),
      })),
    );
  }

  async commitsInRange(base: string, head: string): Promise<CommitWithChanges[]> {
    const [b, h] = await Promise.all([this.resolveCommit(base), this.resolveCommit(head)]);
    // One git process for the commits and their diffs (a log, then a diff-tree, before).
    const commits = parseRangeLogZ(await this.git([...RANGE_LOG_ARGS, `${b}..${h}`]));
    return commits.map(({ diffs, ...c }) => ({ ...c, changes: changesOfMerge(diffs, c.parents.length) }));
  }

  /** One `git cat-file --batch` (started through the runner: off the extension host's thread there). */
  async commitObjects(shas: readonly string[]): Promise<Map<string, Buffer | undefined>> {
    if (shas.length === 0) return new Map();
    const answers = parseCatFileBatch(
      await this.gitBytes(['cat-file', '--batch', '--buffer'], shas.map((s) => `${s}\n`).join('')),
      shas.length,
      'commit',
    );
    return new Map(shas.map((sha, i) => [sha, answers[i]]));
  }

  objectReader(): GitObjectReader {
    const session = new CatFileSession(this.root);
    return {
      blobsAt: async (requests) => {
        // Ids a raw diff already named are read as they are; the rest are named first (`info`),
        // so each distinct blob is read once (a large lock no commit changes, the same file at two revisions).
        const unknown = requests.filter((r) => r.id === undefined);
        const named = await session.ids(unknown.map((r) => `${r.rev}:${r.path}`));
        const idOf = new Map(unknown.map((r, i) => [r, named[i]]));
        const ids = requests.map((r) => r.id ?? idOf.get(r));
        const distinct = [...new Set(ids.filter((id): id is string => id !== undefined))];
        const blobs = await session.objects(distinct);
        const byId = new Map(distinct.map((id, i) => [id, blobs[i]]));
        return ids.map((id) => (id === undefined ? undefined : byId.get(id)));
      },
      filesAt: async (rev, paths) => {
        const out = new Map<string, Uint8Array | undefined>();
        if (paths.length === 0) return out;
        if (paths.length > FEW_PATHS) return this.filesAt(rev, paths);
        const blobs = await session.objects(paths.map((p) => `${rev}:${p}`));
        paths.forEach((p, i) => out.set(p, blobs[i]));
        return out;
      },
      commitObjects: async (shas) => {
        const objects = await session.objects(shas, 'commit');
        return new Map(shas.map((sha, i) => [sha, objects[i]]));
      },
      close: () => session.close(),
    };
  }

  /** One reader for one call: its process ends with it. */
  private async withReader<T>(use: (reader: GitObjectReader) => Promise<T>): Promise<T> {
    const reader = this.objectReader();
    try {
      return await use(reader);
    } finally {
      await reader.close().catch(() => undefined);
    }
  }

  async descendantsOf(ancestor: string, head: string): Promise<Set<string>> {
    const out = await this.git(['rev-list', '--ancestry-path', `${ancestor}..${head}`]);
    return new Set(out.split('\n').filter((l) => l !== ''));
  }

  async fileAt(rev: string, path: string): Promise<Uint8Array | undefined> {
    return (await this.filesAt(rev, [path])).get(path);
  }

  /**
   * `rev` '' means the index. One `git cat-file --batch` for all paths, started through the
   * runner (off the extension host's thread there) and streamed to its end: for a whole tree
   * (verify's HEAD) that is faster than asking the `--batch-command` session of objectReader,
   * 10,000 files 7–20% (bench:verify).
   */
  async filesAt(rev: string, paths: readonly string[]): Promise<Map<string, Uint8Array | undefined>> {
    const out = new Map<string, Uint8Array | undefined>();
    if (paths.length === 0) return out;
    let requests: string[];
    if (paths.length <= FEW_PATHS) {
      // A few names: let git resolve each `rev:path` (a path with a line break cannot be asked that way).
      requests = paths.map((p) => (p.includes('\n') ? 'missing\tpath' : `${rev}:${p}`));
    } else {
      // Many: list the whole tree once and ask for blob ids, much faster than `rev:path` names.
      const ids =
        rev === ''
          ? parseLsFilesStageZ(await this.git(['ls-files', '-s', '-z']))
          : parseLsTreeZ(await this.treeListing(rev));
      requests = paths.map((p) => ids.get(p) ?? 'missing\tpath');
    }
    const answers = parseCatFileBatch(
      await this.gitBytes(['cat-file', '--batch', '--buffer'], requests.map((r) => `${r}\n`).join('')),
      requests.length,
    );
    paths.forEach((p, i) => out.set(p, answers[i]));
    return out;
  }

  /**
   * One git process whatever the number of requests, reading each distinct blob once (see
   * objectReader). Requests for the same blob get the same bytes object.
   */
  async blobsAt(requests: readonly BlobRequest[]): Promise<(Uint8Array | undefined)[]> {
    return this.withReader((r) => r.blobsAt(requests));
  }

  async symlinksAt(rev: string): Promise<string[]> {
    return parseLsTreeSymlinksZ(await this.treeListing(rev));
  }

  /**
   * `ls-tree -r` of a revision. A commit named by its full sha never changes, so the last
   * few listings are kept: verify asks for HEAD's blobs and HEAD's symlinks at once.
   */
  private treeListing(rev: string): Promise<string> {
    const args = ['ls-tree', '-r', '-z', '--full-tree', '--end-of-options', rev];
    if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(rev)) return this.git(args);
    let listing = this.treeListings.get(rev);
    if (!listing) {
      listing = this.git(args);
      this.treeListings.set(rev, listing);
      listing.catch(() => this.treeListings.delete(rev));
      // A large repository's listing is megabytes: keep two.
      for (const old of [...this.treeListings.keys()].slice(0, -2)) this.treeListings.delete(old);
    }
    return listing;
  }
  private readonly treeListings = new Map<string, Promise<string>>();

  async currentBranch(): Promise<string | undefined> {
    // Exit 1 with nothing printed: HEAD is detached.
    const name = await this.git(['symbolic-ref', '--short', '-q', 'HEAD'], [0, 1]);
    return name.trim() || undefined;
  }

  async head(): Promise<string | undefined> {
    // `--verify -q` exits 1 without a message when HEAD names no commit yet.
    const sha = await this.git(['rev-parse', '-q', '--verify', 'HEAD^{commit}'], [0, 1]);
    return sha.trim() || undefined;
  }

  async resolveCommit(rev: string): Promise<string> {
    // A full sha this repository already resolved names that commit for good: no second process.
    if (this.resolvedCommits.has(rev)) return rev;
    const sha = (await this.git(['rev-parse', '-q', '--verify', '--end-of-options', `${rev}^{commit}`], [0, 1])).trim();
    return this.resolved(rev, sha);
  }

  async tipAndShallow(
    rev?: string,
    base?: string,
  ): Promise<{ sha: string | undefined; shallow: boolean; base?: string }> {
    if (base !== undefined) {
      // Both revisions from the one process when they are plain names that name commits; else
      // `base` is left unresolved, for resolveCommit to give its exact error (after the shallow check).
      const plain = (name: string) => !name.startsWith('-') && !name.includes('..');
      if (plain(base) && plain(rev ?? 'HEAD')) {
        const args = ['rev-parse', '--is-shallow-repository', `${rev ?? 'HEAD'}^{commit}`, `${base}^{commit}`];
        const lines = (await this.git(args, [0, 128])).split('\n');
        const sha = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
        if (
          lines.length === 4 &&
          lines[3] === '' &&
          (lines[0] === 'true' || lines[0] === 'false') &&
          sha.test(lines[1]) &&
          sha.test(lines[2])
        )
          return {
            sha: this.resolved(rev ?? 'HEAD', lines[1]),
            shallow: lines[0] === 'true',
            base: this.resolved(base, lines[2]),
          };
      }
      return this.tipAndShallow(rev);
    }
    // Exit 1 when the revision names no commit: the first line (shallow or not) is printed all the same.
    const args = [
      'rev-parse',
      '--is-shallow-repository',
      '-q',
      '--verify',
      '--end-of-options',
      `${rev ?? 'HEAD'}^{commit}`,
    ];
    const [shallow, sha] = (await this.git(args, [0, 1])).split('\n');
    if (shallow !== 'true' && shallow !== 'false')
      throw new Error(`unexpected git rev-parse output ${JSON.stringify(shallow)}`);
    return {
      sha: rev === undefined && !sha ? undefined : this.resolved(rev ?? 'HEAD', sha ?? ''),
      shallow: shallow === 'true',
    };
  }

  private resolved(rev: string, sha: string): string {
    if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(sha))
      throw new Error(`${JSON.stringify(rev)} does not name a commit in ${this.root}`);
    this.resolvedCommits.add(sha);
    return sha;
  }
  private readonly resolvedCommits = new Set<string>();

  async commit(
    paths: readonly string[],
    message: string,
    env?: Readonly<Record<string, string>>,
  ): Promise<string | undefined> {
    if (paths.length === 0) throw new Error('commit: no paths given');
    await this.git(['add', '-A', '--', ...paths]);
    // Exit 0: the index holds nothing new for these paths, so there is nothing to commit.
    const staged = await runGit(this.root, ['diff', '--cached', '--quiet', '--no-ext-diff', '--', ...paths], {
      okExitCodes: [0, 1],
    });
    if (staged.exitCode === 0) return undefined;
    await runGit(this.root, ['commit', '-q', '-m', message, '--', ...paths], env ? { env } : {});
    return (await this.head())!;
  }

  async hooksDir(): Promise<string> {
    const dir = (await this.git(['rev-parse', '--git-path', 'hooks'])).trim();
    return isAbsolute(dir) ? dir : resolve(this.root, dir);
  }

  async remoteDefaultBranch(remote: string): Promise<string | undefined> {
    // Exit 1, silent: the clone has no `<remote>/HEAD` (e.g. it was added by `git remote add`).
    const name = (await this.git(['symbolic-ref', '-q', '--short', `refs/remotes/${remote}/HEAD`], [0, 1])).trim();
    return name.startsWith(`${remote}/`) ? name.slice(remote.length + 1) : undefined;
  }

  async remoteUrl(remote: string): Promise<string | undefined> {
    // Exit 2: no such remote.
    const url = (await this.git(['remote', 'get-url', '--end-of-options', remote], [0, 2])).trim();
    return url || undefined;
  }

  async remoteTrackingTip(remote: string, branch: string): Promise<string | undefined> {
    const sha = await this.git(
      ['rev-parse', '-q', '--verify', '--end-of-options', `refs/remotes/${remote}/${branch}^{commit}`],
      [0, 1],
    );
    return sha.trim() || undefined;
  }

  async fetchBranch(remote: string, branch: string): Promise<string | undefined> {
    // `ls-remote --exit-code` exits 2 when the remote has no such branch: told apart from a network failure by the code.
    const listed = await runGit(this.root, ['ls-remote', '--exit-code', '--heads', remote, `refs/heads/${branch}`], {
      okExitCodes: [0, 2],
    });
    if (listed.exitCode === 2) return undefined;
    await this.git(['fetch', '-q', '--no-tags', remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`]);
    return this.resolveCommit(`refs/remotes/${remote}/${branch}`);
  }

  async fetchCommit(remote: string, sha: string): Promise<boolean> {
    if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(sha)) return false;
    // By sha first (allowed over protocol v2 and by most hosts); else every branch, which holds it if it was pushed.
    for (const args of [
      ['fetch', '-q', '--no-tags', remote, sha],
      ['fetch', '-q', '--no-tags', remote],
    ]) {
      try {
        await this.git(args);
      } catch (err) {
        if (!(err instanceof GitCommandError)) throw err;
      }
      if (await this.hasCommit(sha)) return true;
    }
    return false;
  }

  async hasCommit(rev: string): Promise<boolean> {
    return this.resolveCommit(rev).then(
      () => true,
      () => false,
    );
  }

  async lastCommitChanging(rev: string, path: string): Promise<CommitInfo | undefined> {
    const out = await this.git(['log', '-1', `--format=${COMMIT_LOG_FORMAT}`, '--end-of-options', rev, '--', path]);
    return parseCommitLog(out)[0];
  }

  async push(remote: string, rev: string, branch: string): Promise<PushOutcome> {
    const target = `refs/heads/${branch}`;
    let out: string;
    try {
      // Exit 1 with a '!' line: the ref was rejected; 128 with none: nothing could be pushed.
      out = (
        await runGit(this.root, ['push', '--porcelain', remote, `${rev}:${target}`], { okExitCodes: [0, 1] })
      ).stdout.toString('utf8');
    } catch (err) {
      if (err instanceof GitCommandError) return { kind: 'failed', detail: err.stderr.trim() || err.message };
      throw err;
    }
    const ref = parsePushPorcelain(out).find((r) => r.to === target);
    if (!ref) return { kind: 'failed', detail: `git push printed no status for ${target}` };
    switch (pushRefStatus(ref)) {
      case 'pushed':
        return { kind: 'pushed', upToDate: false };
      case 'up-to-date':
        return { kind: 'pushed', upToDate: true };
      case 'stale':
        return { kind: 'stale', detail: ref.summary };
      case 'remote-rejected':
        return { kind: 'refused', detail: ref.summary };
      case 'rejected':
        return { kind: 'failed', detail: ref.summary };
    }
  }

  async addWorktree(dir: string, rev: string): Promise<GitRepository> {
    await this.git(['worktree', 'add', '-q', '--detach', dir, rev]);
    return GitCliRepository.open(dir);
  }

  async removeWorktree(dir: string): Promise<void> {
    await this.git(['worktree', 'remove', '--force', dir]);
  }

  async setBranch(name: string, rev: string): Promise<void> {
    await this.git(['branch', '-f', '--no-track', name, rev]);
  }

  async isAncestor(ancestor: string, rev: string): Promise<boolean> {
    const r = await runGit(this.root, ['merge-base', '--is-ancestor', ancestor, rev], { okExitCodes: [0, 1] });
    return r.exitCode === 0;
  }

  async remoteBranchesContaining(remote: string, rev: string): Promise<string[]> {
    await this.git(['fetch', '-q', '--no-tags', remote, `+refs/heads/*:refs/remotes/${remote}/*`]);
    const out = await this.git(['for-each-ref', `--contains=${rev}`, '--format=%(refname)', `refs/remotes/${remote}/`]);
    const prefix = `refs/remotes/${remote}/`;
    return out
      .split('\n')
      .filter((l) => l.startsWith(prefix) && l !== `${prefix}HEAD`)
      .map((l) => l.slice(prefix.length));
  }

  async fastForward(rev: string): Promise<void> {
    await this.git(['merge', '-q', '--ff-only', '--no-edit', rev]);
  }

  async restoreToHead(paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    const atHead = (await this.head()) ? await this.filesAt('HEAD', paths) : new Map<string, Uint8Array | undefined>();
    const tracked = paths.filter((p) => atHead.get(p) !== undefined);
    const fresh = paths.filter((p) => atHead.get(p) === undefined);
    if (tracked.length > 0) await this.git(['checkout', '-q', 'HEAD', '--', ...tracked]);
    if (fresh.length > 0) {
      await this.git(['rm', '-q', '--cached', '--ignore-unmatch', '--', ...fresh]);
      for (const p of fresh) await rm(join(this.root, p), { force: true });
    }
  }

  async configValue(name: string): Promise<string | undefined> {
    // Exit 1, silent: the key is not set anywhere.
    const value = (await this.git(['config', '--get', name], [0, 1])).replace(/\n$/, '');
    return value === '' ? undefined : value;
  }

  async setLocalConfig(name: string, value: string): Promise<void> {
    await this.git(['config', '--local', name, value]);
  }

  async lineEndingSettings(paths: readonly string[]): Promise<LineEndingSettings> {
    // Both processes at once (bench:verify counts every sequential spawn). Exit 1, silent: the key is not set anywhere.
    const [autocrlf, attributes] = await Promise.all([
      this.git(['config', '--get', 'core.autocrlf'], [0, 1]).then((out) => out.trim() || undefined),
      paths.length === 0
        ? []
        : // Paths on stdin (NUL-separated), so any number of them fits.
          runGit(this.root, ['check-attr', '-z', '--stdin', 'text', 'eol'], { input: `${paths.join('\0')}\0` }).then(
            (r) => parseCheckAttrZ(r.stdout.toString('utf8')),
          ),
    ]);
    return { autocrlf, attributes };
  }

  private gitBytes(args: string[], input: string): Promise<Buffer> {
    return runGit(this.root, args, { input }).then((r) => r.stdout);
  }

  private git(args: string[], okExitCodes?: readonly number[]): Promise<string> {
    return gitText(this.root, args, okExitCodes ? { okExitCodes } : {});
  }
}

/**
 * A commit's own changes from its diff against each parent: for a merge, only files that
 * differ from every parent (changes the merge itself made, not the ones it brought in).
 */
function changesOfMerge(perParent: FileChange[][], parents: number): FileChange[] {
  if (parents <= 1) return perParent[0] ?? [];
  // git prints no diff for a parent the merge does not differ from: then nothing differs from every parent.
  if (perParent.length < parents) return [];
  const inEvery = perParent.slice(1).map((changes) => new Set(changes.map((c) => c.path)));
  return perParent[0].filter((c) => inEvery.every((s) => s.has(c.path)));
}

export function openGitRepository(dir: string): Promise<GitRepository> {
  return GitCliRepository.open(dir);
}
