import type { KeyObject } from 'node:crypto';
import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import { formatDiagnostic } from '../../core/diagnostics';
import { contentSha256 } from '../../core/release/contentHash';
import { parseReleaseLock, RELEASE_LOCK_PATH, type LockEntry } from '../../core/release/releaseLock';
import { verifyReleaseSignature } from '../../core/release/releaseRecord';
import { importPublicKey, keyIdOf } from '../../core/release/signingKeys';
import {
  parseUserDirectory,
  USER_DIRECTORY_PATH,
  userByEmail,
  verifyUserDirectorySignature,
  type SignedUserDirectory,
} from '../../core/release/userDirectory';
import type { CommitWithChanges, GitRepository } from '../../git/gitRepository';
import { changeProblems, decodeUtf8 } from './changeCheck';
import { gatePolicyFrom, type GatePolicy } from './gatePolicy';
import { releasedContentFrom } from './releasedContent';

export interface VerifyOptions {
  /** Also check every commit in `base..HEAD` against its author's rights. */
  base?: string;
  /** The commit to judge (default HEAD), e.g. a pushed ref's new tip in a pre-receive hook. */
  head?: string;
  /** The pinned key; else the access file's `publicKey` at HEAD. */
  publicKey?: KeyObject;
}

export interface VerifyProblem {
  /** The file the problem is about (repo-relative), or `file:line:col` for a malformed file. */
  file: string;
  reason: string;
}

export interface VerifyReport {
  head: string;
  keyId: string;
  entries: number;
  commits: number;
  problems: VerifyProblem[];
}

/** Thrown when verify cannot run at all (no key, bad revision): a usage failure, not a finding. */
export class VerifyError extends Error {
  override name = 'VerifyError';
}

/**
 * `promptops verify`: offline, from the repository and a public key. Every lock entry's
 * hash must match its file at HEAD and its signature must verify; with a base, every
 * commit in the range must only change prompts and protected files its author (git
 * author email → signed directory → org role) was allowed to, under the access file as
 * of the commit's parent.
 */
export async function verifyRepository(repo: GitRepository, options: VerifyOptions = {}): Promise<VerifyReport> {
  const head = options.head !== undefined ? await repo.resolveCommit(options.head) : await repo.head();
  if (!head) throw new VerifyError('the repository has no commits yet');
  // Cut-off history would make commits look absent or parentless: refuse to judge rather than misjudge.
  if (options.base !== undefined && (await repo.isShallow()))
    throw new VerifyError(
      `this clone is shallow, so the commits since ${options.base} cannot be judged; fetch the full history ` +
        '(GitHub Actions: actions/checkout with `fetch-depth: 0`; GitLab CI: `GIT_DEPTH: 0`; by hand: `git fetch --unshallow`)',
    );
  const problems: VerifyProblem[] = [];
  const meta = await repo.filesAt(head, [ACCESS_FILE_PATH, RELEASE_LOCK_PATH, USER_DIRECTORY_PATH]);
  const text = (path: string) => {
    const bytes = meta.get(path);
    return bytes && decodeUtf8(bytes);
  };

  const accessText = text(ACCESS_FILE_PATH);
  const headPolicy = gatePolicyFrom(accessText);
  for (const d of headPolicy.errors)
    problems.push({ file: `${d.file}:${d.line}:${d.column}`, reason: formatDiagnostic(d).replace(/^\S+ /, '') });
  const publicKey = options.publicKey ?? pinnedKey(headPolicy, accessText !== undefined);
  const keyId = keyIdOf(publicKey);

  const lock = parseReleaseLock(text(RELEASE_LOCK_PATH) ?? '');
  for (const d of lock.diagnostics.filter((x) => x.severity === 'error'))
    problems.push({ file: `${d.file}:${d.line}:${d.column}`, reason: formatDiagnostic(d).replace(/^\S+ /, '') });
  const entries = lock.entries ?? [];
  problems.push(...(await lockProblems(repo, head, entries, publicKey, keyId)));

  let commits: CommitWithChanges[] = [];
  if (options.base !== undefined) {
    const directory = directoryFrom(text(USER_DIRECTORY_PATH), publicKey, keyId, problems);
    commits = await repo.commitsInRange(options.base, head);
    problems.push(...(await commitProblems(repo, commits, directory, publicKey)));
  }
  return { head, keyId, entries: entries.length, commits: commits.length, problems };
}

function pinnedKey(policy: GatePolicy, hasAccessFile: boolean): KeyObject {
  const text = policy.compiled?.policy.publicKey;
  if (text === undefined) {
    throw new VerifyError(
      hasAccessFile && !policy.compiled
        ? `${ACCESS_FILE_PATH} at HEAD has errors, so its publicKey cannot be trusted; pass --public-key FILE`
        : `no public key to verify against: pin the server's key as \`publicKey\` in ${ACCESS_FILE_PATH}, or pass --public-key FILE`,
    );
  }
  try {
    return importPublicKey(text);
  } catch (e) {
    throw new VerifyError(`${ACCESS_FILE_PATH}: publicKey: ${(e as Error).message}`);
  }
}

async function lockProblems(
  repo: GitRepository,
  head: string,
  entries: readonly LockEntry[],
  publicKey: KeyObject,
  keyId: string,
): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  const files = await repo.filesAt(head, [...new Set(entries.map((e) => e.release.path))]);
  for (const { release } of entries) {
    const bytes = files.get(release.path);
    const where = `${release.env} release (review ${release.reviewId})`;
    if (bytes === undefined) {
      problems.push({ file: release.path, reason: `published as the ${where}, but the file is not in the commit` });
      continue;
    }
    const actual = contentSha256(bytes);
    if (actual !== release.sha256) {
      problems.push({
        file: release.path,
        reason: `changed after publishing: its sha256 is ${actual.slice(0, 12)}…, the ${where} says ${release.sha256.slice(0, 12)}…`,
      });
    }
    if (release.keyId !== keyId) {
      problems.push({
        file: release.path,
        reason: `the ${where} names signing key ${release.keyId}, not the pinned key ${keyId}`,
      });
    } else if (!verifyReleaseSignature(release, release.signature, publicKey)) {
      problems.push({
        file: release.path,
        reason: `the ${where} has a signature that does not verify against the pinned key ${keyId}: the lock entry was edited or forged`,
      });
    }
  }
  return problems;
}

function directoryFrom(
  text: string | undefined,
  publicKey: KeyObject,
  keyId: string,
  problems: VerifyProblem[],
): SignedUserDirectory | undefined {
  if (text === undefined) {
    problems.push({
      file: USER_DIRECTORY_PATH,
      reason: 'missing: it maps commit authors to users, and checking commits needs it (the server issues it)',
    });
    return undefined;
  }
  const parsed = parseUserDirectory(text);
  for (const d of parsed.diagnostics.filter((x) => x.severity === 'error'))
    problems.push({ file: `${d.file}:${d.line}:${d.column}`, reason: formatDiagnostic(d).replace(/^\S+ /, '') });
  if (!parsed.directory) return undefined;
  if (parsed.directory.keyId !== keyId || !verifyUserDirectorySignature(parsed.directory, publicKey)) {
    problems.push({
      file: USER_DIRECTORY_PATH,
      reason: `its signature does not verify against the pinned key ${keyId}: the directory was edited or forged, so no commit author can be trusted`,
    });
    return undefined;
  }
  return parsed.directory;
}

async function commitProblems(
  repo: GitRepository,
  commits: readonly CommitWithChanges[],
  directory: SignedUserDirectory | undefined,
  publicKey: KeyObject,
): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  const policies = new Map<string, GatePolicy>();
  for (const commit of commits) {
    if (commit.changes.length === 0) continue;
    const parent = commit.parents[0];
    const short = commit.sha.slice(0, 7);
    const oldPaths = commit.changes.filter((c) => c.status !== 'A').map((c) => c.oldPath ?? c.path);
    const before = parent
      ? await repo.filesAt(parent, [...new Set([...oldPaths, ACCESS_FILE_PATH])])
      : new Map<string, Uint8Array | undefined>();
    const after = await repo.filesAt(commit.sha, [
      ...new Set([...commit.changes.filter((c) => c.status !== 'D').map((c) => c.path), RELEASE_LOCK_PATH]),
    ]);
    const accessBytes = before.get(ACCESS_FILE_PATH);
    const accessText = accessBytes && decodeUtf8(accessBytes);
    const cacheKey = accessText ?? '\0none';
    let gate = policies.get(cacheKey);
    if (!gate) policies.set(cacheKey, (gate = gatePolicyFrom(accessText)));

    const changes = commit.changes.map((c) => ({
      ...c,
      oldBytes: c.status === 'A' ? undefined : before.get(c.oldPath ?? c.path),
      newBytes: c.status === 'D' ? undefined : after.get(c.path),
    }));
    const user = directory && userByEmail(directory, commit.authorEmail);
    const lockBytes = after.get(RELEASE_LOCK_PATH);
    const released = releasedContentFrom(lockBytes && decodeUtf8(lockBytes), publicKey);
    // Nothing can be decided under a broken access file: only an admin's commit passes, anyone
    // else is checked as a viewer. An unknown author is a viewer too: whatever they changed
    // that needs any right is a problem.
    if (!gate.compiled && user?.role === 'admin') continue;
    const actor =
      user && gate.compiled
        ? { username: user.username, role: user.role }
        : { username: user?.username ?? commit.authorEmail, role: 'viewer' as const };
    const decider = gate.compiled ?? gatePolicyFrom(undefined).compiled!;
    for (const p of changeProblems(decider, actor, changes, released)) {
      const who = user ? `${user.username} <${commit.authorEmail}>` : `<${commit.authorEmail}>`;
      let reason: string;
      if (!user)
        reason = `commit ${short} is by ${who}, who is not in the signed user directory${directory ? '' : ' (no valid directory)'}`;
      else if (!gate.compiled)
        reason = `commit ${short} by ${who}: the access file in its parent has errors, and only admins may change prompts or protected files then`;
      else reason = `commit ${short} by ${who}: ${p.reason}`;
      problems.push({ file: p.path, reason });
    }
  }
  return problems;
}
