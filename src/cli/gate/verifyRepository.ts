import type { KeyObject } from 'node:crypto';
import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import { requiresSignedCommits } from '../../core/access/requiresSignedCommits';
import { formatDiagnostic, type Diagnostic } from '../../core/diagnostics';
import { trustedKeys, verifyLockEntries, type TrustedKeys } from '../../core/release/lockEntryVerdict';
import { KEY_CHAIN_PATH } from '../../core/release/keyChain';
import { lockRegressions, retiredEntries, unpublishRegressions } from '../../core/release/lockFreshness';
import { trustedUnpublishes, UNPUBLISHED_PATH } from '../../core/release/unpublishedFile';
import { policyChangeProblems } from '../../core/release/policyChangeProblems';
import { POLICY_LOCK_PATH } from '../../core/release/policyLock';
import { parseReleaseLock, RELEASE_LOCK_PATH, type LockEntry } from '../../core/release/releaseLock';
import { importPublicKey, keyIdOf } from '../../core/release/signingKeys';
import { commitSignature } from '../../core/release/commitSignature';
import type { CommitSignature } from '../../core/release/sshSignature';
import { fingerprintOfKeyLine } from '../../core/release/sshSigningKey';
import {
  directorySigningKeys,
  USER_DIRECTORY_PATH,
  userByEmail,
  userBySigningKey,
  type DirectoryUser,
  type SignedUserDirectory,
} from '../../core/release/userDirectory';
import type { BlobRequest, CommitWithChanges, GitObjectReader, GitRepository } from '../../git/gitRepository';
import {
  changeProblems,
  decodeUtf8,
  isGatedPath,
  promptReaderOnce,
  SYMLINK_REASON,
  type PromptReader,
  type GateChange,
  type ReleasedContent,
} from './changeCheck';
import { gatePolicyFrom, type GatePolicy } from './gatePolicy';
import { lineEndingWarnings, type VerifyWarning } from './lineEndings';
import { releasedContentFrom } from './releasedContent';
import { releaseRefs } from './releaseRefs';
import { trustedDirectory } from './trustedDirectory';
import { trustedChainKeys } from './trustedKeyChain';
import { mayChangeUnderBrokenAccessFile } from '../../core/policy/orgDecision';

export interface VerifyOptions {
  /** Also check every commit in `base..HEAD` against its author's rights. */
  base?: string;
  /** The commit to judge (default HEAD), e.g. a pushed ref's new tip in a pre-receive hook. */
  head?: string;
  /**
   * The trusted key; else the access file's `publicKey` at the base (at HEAD without a base).
   * Keys `.promptops/keys.yaml` joins to it by signed rotation links are trusted too.
   */
  publicKey?: KeyObject;
  /**
   * The pushed ref being judged (the pre-receive hook passes it). Unless it is a release ref
   * (see releaseRefs), a changed access file still waiting for its server-signed policy
   * record is a warning, not a problem: a review branch may carry it to be applied from.
   */
  ref?: string;
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
  /**
   * Entries whose signed record names the evaluation run publishing needed (the approval
   * rule required one): path, env and the run's digest. Verified with the rest of the record.
   */
  evaluated: { path: string; env: string; evaluation: string }[];
  commits: number;
  problems: VerifyProblem[];
  /** Settings that do not fail verify but will break loading later (line-ending conversion). */
  warnings: VerifyWarning[];
}

/** Thrown when verify cannot run at all (no key, bad revision): a usage failure, not a finding. */
export class VerifyError extends Error {
  override name = 'VerifyError';
}

/**
 * `promptops verify`: offline, from the repository and a trusted public key. Every lock
 * entry's hash must match its file at HEAD and its signature must verify with that key.
 *
 * With a base, trust comes from the base commit, never from the commits being judged: the
 * key (unless given), the access file and the signed user directory are read there. Each
 * commit in the range must only change prompts and protected files its author (git author
 * email → signed directory → org role) was allowed to, under both its parent's access
 * file and the base's (the most restrictive wins); a user directory committed in the range
 * counts only when the trusted key signed it, and then restricts as well (a user must be
 * in both). Without a base, HEAD is all there is to trust: CI should always pass one.
 */
export async function verifyRepository(repo: GitRepository, options: VerifyOptions = {}): Promise<VerifyReport> {
  // The trust files, the range's blobs and commit objects through one git process: each process
  // start costs more than most reads. HEAD's files (a whole tree) stream from one of their own (bench:verify).
  const reader = repo.objectReader();
  try {
    return await verifyWith(repo, reader, options);
  } finally {
    await reader.close().catch(() => undefined);
  }
}

async function verifyWith(repo: GitRepository, reader: GitObjectReader, options: VerifyOptions): Promise<VerifyReport> {
  // The commit to judge, whether history is cut off and (most often) the base, from one git process.
  const tip = await repo.tipAndShallow(options.head, options.base);
  const { sha: head, shallow } = tip;
  if (!head) throw new VerifyError('the repository has no commits yet');
  // Cut-off history would make commits look absent or parentless: refuse to judge rather than misjudge.
  if (options.base !== undefined && shallow)
    throw new VerifyError(
      `this clone is shallow, so the commits since ${options.base} cannot be judged; fetch the full history ` +
        '(GitHub Actions: actions/checkout with `fetch-depth: 0`; GitLab CI: `GIT_DEPTH: 0`; by hand: `git fetch --unshallow`)',
    );
  const base = options.base === undefined ? undefined : (tip.base ?? (await resolveBase(repo, options.base)));
  const problems: VerifyProblem[] = [];
  const pushDiagnostics = (diagnostics: readonly Diagnostic[]) => {
    for (const d of diagnostics.filter((x) => x.severity === 'error'))
      problems.push({ file: `${d.file}:${d.line}:${d.column}`, reason: formatDiagnostic(d).replace(/^\S+ /, '') });
  };
  const trustFiles = [ACCESS_FILE_PATH, USER_DIRECTORY_PATH];
  const read = [...trustFiles, RELEASE_LOCK_PATH, POLICY_LOCK_PATH, KEY_CHAIN_PATH, UNPUBLISHED_PATH];
  // Both revisions in one question; a file the range left alone is decoded once.
  const decode = decoderOnce();
  const trustBytes = await reader.blobsAt(
    [head, ...(base === undefined ? [] : [base])].flatMap((rev) => read.map((path) => ({ rev, path }))),
  );
  const textsAt = (at: number) =>
    new Map(
      read.map((path, i) => {
        const bytes = trustBytes[at * read.length + i];
        return [path, bytes && decode(bytes)];
      }),
    );
  const atHead = textsAt(0);
  const atBase = base === undefined ? atHead : textsAt(1);

  pushDiagnostics(gatePolicyFrom(atHead.get(ACCESS_FILE_PATH)).errors);
  const basePolicy = gatePolicyFrom(atBase.get(ACCESS_FILE_PATH));
  const publicKey =
    options.publicKey ??
    pinnedKey(basePolicy, atBase.get(ACCESS_FILE_PATH) !== undefined, base === undefined ? 'HEAD' : 'the base');
  // Rotated keys count when the chain joins them to the anchor (HEAD's chain, growing the base's).
  const chain = trustedChainKeys(publicKey, atBase.get(KEY_CHAIN_PATH), atHead.get(KEY_CHAIN_PATH), base !== undefined);
  problems.push(...chain.problems);
  const trusted = trustedKeys(...chain.keys);
  const keyId = keyIdOf(publicKey);

  // The base's lock and the range's are most often HEAD's text again: each distinct text is parsed once.
  const lockParses = new Map<string, ReturnType<typeof parseReleaseLock>>();
  const parseLock = (text: string) => {
    let parsed = lockParses.get(text);
    if (!parsed) lockParses.set(text, (parsed = parseReleaseLock(text)));
    return parsed;
  };
  const lock = parseLock(atHead.get(RELEASE_LOCK_PATH) ?? '');
  pushDiagnostics(lock.diagnostics);
  const entries = lock.entries ?? [];
  // The range's commits, files and raw commit objects need nothing from the lock either: read
  // while this process hashes and the thread pool verifies (lockProblems waits on the pool, so they go on).
  const range = base === undefined ? undefined : readRange(repo, reader, base, head, signingMayMatter(basePolicy));
  range?.catch(() => undefined); // awaited below, as gitSide
  // Two git processes that need nothing from the signature checks: started first, they run
  // while this process hashes and verifies (bench:verify).
  const gitSide = Promise.all([
    repo.symlinksAt(head),
    repo.lineEndingSettings([...new Set(entries.map((e) => e.release.path))]),
  ]);
  gitSide.catch(() => undefined); // awaited below; this only keeps an early throw from going unhandled
  problems.push(...(await lockProblems(reader, head, entries, trusted)));
  const [links, lineEndings] = await gitSide;
  problems.push(...symlinkProblems(links, basePolicy, entries));
  // The gate hashes blobs; the loader hashes the checkout, which these settings would rewrite.
  const warnings = lineEndingWarnings(lineEndings);
  // Unpublish records count only when a trusted key signed them; a forged one is a problem of its own.
  const unpublished = trustedUnpublishes(atHead.get(UNPUBLISHED_PATH), trusted);
  problems.push(...unpublished.problems);
  const lockRegressionProblem = (r: { path: string; kind: string; line: number; message: string }) => ({
    file: r.path,
    reason: `${r.message} (${RELEASE_LOCK_PATH}${r.kind !== 'removed' ? `:${r.line}` : ''})`,
  });
  if (base === undefined) problems.push(...retiredEntries(entries, unpublished.records).map(lockRegressionProblem));
  else {
    // No rollback: every entry the base published is still there, and no older (base's lock is trusted as is),
    // unless a signed record unpublished that very entry.
    const baseLock = atBase.get(RELEASE_LOCK_PATH);
    const before = baseLock === undefined ? [] : (parseLock(baseLock).entries ?? []);
    const headLock = atHead.get(RELEASE_LOCK_PATH);
    // A malformed lock is reported above; its entries cannot be compared.
    const after = headLock === undefined ? undefined : lock.entries;
    // The same text at the base and HEAD is one parse, the same entries: nothing removed or gone back.
    const regressions =
      headLock !== undefined && !after
        ? []
        : after === before
          ? retiredEntries(after, unpublished.records)
          : lockRegressions(before, after, unpublished.records);
    for (const r of regressions) problems.push(lockRegressionProblem(r));
    const baseRecords = trustedUnpublishes(atBase.get(UNPUBLISHED_PATH), trusted).records;
    for (const r of unpublishRegressions(baseRecords, unpublished.records))
      problems.push({ file: r.path, reason: `${r.message} (${UNPUBLISHED_PATH})` });
  }

  if (base !== undefined) {
    // A changed access file must be a version the server applied (and signed), once the base asks for that.
    const policyProblems = policyChangeProblems({
      baseAccess: atBase.get(ACCESS_FILE_PATH),
      headAccess: atHead.get(ACCESS_FILE_PATH),
      baseLock: atBase.get(POLICY_LOCK_PATH),
      headLock: atHead.get(POLICY_LOCK_PATH),
      basePolicyApprovals: basePolicy.compiled?.policy.policyApprovals,
      trusted,
    });
    const pendingAllowed = options.ref !== undefined && !(await releaseRefs(repo)).includes(options.ref);
    for (const p of policyProblems) {
      // A forged, removed or replayed lock stays a problem on every ref.
      if (pendingAllowed && p.file === ACCESS_FILE_PATH)
        warnings.push({
          setting: 'pending policy change',
          paths: [ACCESS_FILE_PATH],
          reason: `${p.reason}. Allowed on ${options.ref} (a review branch to apply from); refused on the release branch until then`,
        });
      else problems.push(p);
    }
  }

  let commits: CommitWithChanges[] = [];
  if (base !== undefined) {
    const directories = trustedDirectories(
      atBase.get(USER_DIRECTORY_PATH),
      atHead.get(USER_DIRECTORY_PATH),
      trusted,
      problems,
    );
    const read = await range!;
    commits = read.commits;
    problems.push(
      ...(await commitProblems(reader, read, {
        directories,
        basePolicy,
        baseAccessText: atBase.get(ACCESS_FILE_PATH),
        trusted,
        signing: await signingRule(repo, basePolicy, head, problems),
        lockEntries: (text) => parseLock(text).entries ?? [],
        decode,
      })),
    );
  }
  const evaluated = entries.flatMap(({ release: r }) =>
    r.evaluation === undefined ? [] : [{ path: r.path, env: r.env, evaluation: r.evaluation }],
  );
  return { head, keyId, entries: entries.length, evaluated, commits: commits.length, problems, warnings };
}

async function resolveBase(repo: GitRepository, rev: string): Promise<string> {
  try {
    return await repo.resolveCommit(rev);
  } catch (e) {
    throw new VerifyError(`--base: ${(e as Error).message}`);
  }
}

/**
 * decodeUtf8 that decodes the same content once: the lock is the same few megabytes at HEAD,
 * at the base and along a range, read by different git processes.
 */
function decoderOnce(): (bytes: Uint8Array) => string {
  const decoded: [Buffer, string][] = [];
  return (bytes) => {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const [b, text] of decoded) if (b.length === view.length && b.equals(view)) return text;
    const text = decodeUtf8(bytes);
    // Small files (prompts) are cheap to decode; only large ones are worth comparing against.
    if (bytes.byteLength >= 4096) decoded.push([view, text]);
    return text;
  };
}

function pinnedKey(policy: GatePolicy, hasAccessFile: boolean, where: string): KeyObject {
  const text = policy.compiled?.policy.publicKey;
  if (text === undefined) {
    throw new VerifyError(
      hasAccessFile && !policy.compiled
        ? `${ACCESS_FILE_PATH} at ${where} has errors, so its publicKey cannot be trusted; pass --public-key FILE`
        : `no public key to verify against: pin the server's key as \`publicKey\` in ${ACCESS_FILE_PATH}${where === 'HEAD' ? '' : ` at ${where}`}, or pass --public-key FILE`,
    );
  }
  try {
    return importPublicKey(text);
  } catch (e) {
    throw new VerifyError(`${ACCESS_FILE_PATH} at ${where}: publicKey: ${(e as Error).message}`);
  }
}

async function lockProblems(
  reader: GitObjectReader,
  head: string,
  entries: readonly LockEntry[],
  trusted: TrustedKeys,
): Promise<VerifyProblem[]> {
  const files = await reader.filesAt(head, [...new Set(entries.map((e) => e.release.path))]);
  // Signatures on the thread pool; this thread waits on them, so git work started alongside (the range) goes on.
  const verdicts = await verifyLockEntries(entries, (e) => files.get(e.release.path), trusted);
  return verdicts.flatMap((v, i) => (v.ok ? [] : [{ file: entries[i].release.path, reason: v.message }]));
}

/** Links at HEAD where the gate or the loader reads files: gated paths, and folders holding published prompts. */
function symlinkProblems(links: readonly string[], policy: GatePolicy, entries: readonly LockEntry[]): VerifyProblem[] {
  if (links.length === 0) return [];
  const decider = policy.compiled ?? gatePolicyFrom(undefined).compiled!;
  const folders = links.map((l) => `${l}/`);
  return links
    .filter((link, i) => isGatedPath(decider, link) || entries.some((e) => e.release.path.startsWith(folders[i])))
    .map((link) => ({ file: link, reason: SYMLINK_REASON }));
}

/**
 * The directories that say who commit authors are: the base's, and HEAD's when it differs
 * (the server re-issues it, e.g. to remove someone). Each counts only when signed by the
 * trusted key; one that is not is a problem at HEAD (a forgery) or at the base.
 */
function trustedDirectories(
  baseText: string | undefined,
  headText: string | undefined,
  keys: TrustedKeys,
  problems: VerifyProblem[],
): SignedUserDirectory[] {
  const versions = [
    { text: baseText, at: ' at the base' },
    ...(headText !== baseText ? [{ text: headText, at: '' }] : []),
  ].filter((v): v is { text: string; at: string } => v.text !== undefined);
  if (versions.length === 0) {
    problems.push({
      file: USER_DIRECTORY_PATH,
      reason: 'missing: it maps commit authors to users, and checking commits needs it (the server issues it)',
    });
    return [];
  }
  const directories: SignedUserDirectory[] = [];
  let baseSerial: number | undefined;
  for (const { text, at } of versions) {
    const trusted = trustedDirectory(text, keys, at);
    problems.push(...trusted.problems);
    if (!trusted.directory) continue;
    const serial = trusted.directory.serial ?? 0;
    if (at) baseSerial = serial;
    else if (baseSerial !== undefined && serial < baseSerial) {
      // A directory the server issued earlier (when someone had more rights) cannot come back.
      problems.push({
        file: USER_DIRECTORY_PATH,
        reason: `serial ${serial} is older than the base's ${baseSerial}: an earlier directory was committed again; commit a fresh one (promptops directory pull)`,
      });
      continue;
    }
    directories.push(trusted.directory);
  }
  return directories;
}

/** Which commits must be signed: none, all that change gated files, or those after a trust epoch. */
interface SigningRule {
  /** The base's access file asks for signed commits (`requireSignedCommits` or `signedCommitsFrom`). */
  required: boolean;
  /** With an epoch: the commits of the range that descend from it; only they must be signed. */
  after?: ReadonlySet<string>;
}

/**
 * From the base's access file (trust comes from the base). An epoch that names no commit
 * here cannot exempt anything: every commit must be signed, and the access file is reported.
 */
async function signingRule(
  repo: GitRepository,
  basePolicy: GatePolicy,
  head: string,
  problems: VerifyProblem[],
): Promise<SigningRule> {
  const policy = basePolicy.compiled?.policy;
  const epoch = policy?.signedCommitsFrom;
  if (epoch === undefined) return { required: policy?.requireSignedCommits === true };
  try {
    return { required: true, after: await repo.descendantsOf(await repo.resolveCommit(epoch), head) };
  } catch {
    problems.push({
      file: ACCESS_FILE_PATH,
      reason: `at the base, signedCommitsFrom names ${epoch}, which is no commit in this repository: every commit in the range must be signed`,
    });
    return { required: true };
  }
}

/** Whether the access file in force asks for signed commits on its own (the parent's, inside the range). */
function requiresSigning(gate: GatePolicy): boolean {
  const policy = gate.compiled?.policy;
  return policy !== undefined && requiresSignedCommits(policy);
}

const SIGNING_HOW_TO =
  'register your key and sign your commits: promptops signing-key add ~/.ssh/id_ed25519.pub --configure-git ' +
  '(it registers the key and sets gpg.format ssh, user.signingkey and commit.gpgsign in your clone); then re-sign the commit ' +
  "(git commit --amend --no-edit -S, or git rebase --exec 'git commit --amend --no-edit -S' <base>)";

/** Why a commit's signature does not name a user; undefined when it does. */
function signatureProblem(signature: CommitSignature | undefined, short: string): string | undefined {
  switch (signature?.status) {
    case 'good':
      return undefined;
    case 'unknown-key':
      return `commit ${short} is signed with key ${signature.fingerprint}, which no user in the signed user directory has registered: ${SIGNING_HOW_TO}, and have an admin commit a fresh directory (promptops directory pull)`;
    case 'bad':
      return `commit ${short} has a signature that does not match the commit (changed after signing, or forged)`;
    case 'unverifiable':
      return `commit ${short} has ${signature.detail ?? 'a signature verify cannot check'}: only SSH signatures name a user; sign with an SSH key (git config gpg.format ssh)`;
    default:
      return `commit ${short} is not signed: ${SIGNING_HOW_TO}`;
  }
}

interface RangeTrust {
  /** Directories signed by the trusted key; an author must be in every one. */
  directories: readonly SignedUserDirectory[];
  /** The base's access file: every commit is judged by it as well as by its parent's. */
  basePolicy: GatePolicy;
  baseAccessText: string | undefined;
  trusted: TrustedKeys;
  signing: SigningRule;
  /** A lock text's entries (parsed once per distinct text across verify). */
  lockEntries: (text: string) => readonly LockEntry[];
  /** decodeUtf8, once per distinct large content across verify. */
  decode: (bytes: Uint8Array) => string;
}

/** Whether any commit of the range may need its signature checked: the base asks for signing (possibly from an epoch). */
function signingMayMatter(basePolicy: GatePolicy): boolean {
  const policy = basePolicy.compiled?.policy;
  return policy?.signedCommitsFrom !== undefined || policy?.requireSignedCommits === true;
}

/** What git says about a range, read before it is judged: its commits, the files each needs, raw commit objects. */
interface RangeReads {
  commits: CommitWithChanges[];
  /** The commits that change something, each with where its files are in `blobs`. */
  judged: { commit: CommitWithChanges; start: number; beforePaths: string[]; afterPaths: string[] }[];
  blobs: (Uint8Array | undefined)[];
  /** Raw commit objects of `judged` when signatures may matter (else empty: read when one comes up). */
  objects: Map<string, Buffer | undefined>;
}

async function readRange(
  repo: GitRepository,
  reader: GitObjectReader,
  base: string,
  head: string,
  signed: boolean,
): Promise<RangeReads> {
  const commits = await repo.commitsInRange(base, head);
  // Every file every commit needs (each distinct blob read once; blobs the log already named
  // by id are not looked up again), and the raw commits whose signatures may matter.
  const requests: BlobRequest[] = [];
  const judged = commits
    .filter((c) => c.changes.length > 0)
    .map((commit) => {
      const parent = commit.parents[0];
      const oldPaths = commit.changes.filter((c) => c.status !== 'A').map((c) => c.oldPath ?? c.path);
      const beforePaths = parent ? [...new Set([...oldPaths, ACCESS_FILE_PATH])] : [];
      const afterPaths = [
        ...new Set([...commit.changes.filter((c) => c.status !== 'D').map((c) => c.path), RELEASE_LOCK_PATH]),
      ];
      const oldIds = new Map(commit.changes.filter((c) => c.status !== 'A').map((c) => [c.oldPath ?? c.path, c.oldId]));
      const newIds = new Map(commit.changes.filter((c) => c.status !== 'D').map((c) => [c.path, c.newId]));
      const start = requests.length;
      requests.push(...beforePaths.map((path) => ({ rev: parent, path, id: oldIds.get(path) })));
      requests.push(...afterPaths.map((path) => ({ rev: commit.sha, path, id: newIds.get(path) })));
      return { commit, start, beforePaths, afterPaths };
    });
  const [blobs, objects] = await Promise.all([
    reader.blobsAt(requests),
    signed ? reader.commitObjects(judged.map((j) => j.commit.sha)) : new Map<string, Buffer | undefined>(),
  ]);
  return { commits, judged, blobs, objects };
}

async function commitProblems(
  reader: GitObjectReader,
  { judged, blobs, objects }: RangeReads,
  trust: RangeTrust,
): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  // One policy per access-file text, the base's among them, so a parent with the base's file is judged once.
  const policies = new Map<string, GatePolicy>([[trust.baseAccessText ?? '\0none', trust.basePolicy]]);
  // Signatures are checked here, against every trusted directory's keys, from the commits'
  // raw objects (read with the range); a commit only a parent's access file asks to be
  // signed is read when it comes up.
  const registered = new Set(
    trust.directories
      .flatMap(directorySigningKeys)
      .map((k) => fingerprintOfKeyLine(k.publicKey))
      .filter((f): f is string => f !== undefined),
  );
  // Keyed by the bytes object: blobsAt returns one per distinct blob, so a lock no commit
  // changes is decoded and parsed once, and only when a commit's prompts need it.
  const releasedByLock = new Map<Uint8Array | undefined, ReleasedContent | undefined>();
  const readPrompt = promptReaderOnce();
  const signatureOf = async (sha: string): Promise<CommitSignature | undefined> => {
    const raw = objects.get(sha) ?? (await reader.commitObjects([sha])).get(sha);
    return raw && commitSignature(raw, registered, sha.length);
  };
  for (const { commit, start, beforePaths, afterPaths } of judged) {
    const short = commit.sha.slice(0, 7);
    const before = new Map(beforePaths.map((p, i) => [p, blobs[start + i]]));
    const after = new Map(afterPaths.map((p, i) => [p, blobs[start + beforePaths.length + i]]));
    const accessBytes = before.get(ACCESS_FILE_PATH);
    const accessText = accessBytes && decodeUtf8(accessBytes);
    const cacheKey = accessText ?? '\0none';
    let parentPolicy = policies.get(cacheKey);
    if (!parentPolicy) policies.set(cacheKey, (parentPolicy = gatePolicyFrom(accessText)));

    const changes = commit.changes.map((c) => ({
      ...c,
      oldBytes: c.status === 'A' ? undefined : before.get(c.oldPath ?? c.path),
      newBytes: c.status === 'D' ? undefined : after.get(c.path),
    }));
    const lockBytes = after.get(RELEASE_LOCK_PATH);
    if (!releasedByLock.has(lockBytes))
      releasedByLock.set(
        lockBytes,
        releasedContentFrom(lockBytes && (() => trust.lockEntries(trust.decode(lockBytes))), trust.trusted),
      );
    const released = releasedByLock.get(lockBytes);
    const gates: [GatePolicy, string][] = [[parentPolicy, 'in its parent']];
    if (parentPolicy !== trust.basePolicy) gates.push([trust.basePolicy, 'at the base']);

    // Signed commits: the signer (the directory user owning the key) is judged, never the email.
    const gatedPaths = changedGatedPaths(commit, gates);
    const mustSign =
      gatedPaths.length > 0 &&
      (trust.signing.after
        ? trust.signing.after.has(commit.sha)
        : trust.signing.required || requiresSigning(parentPolicy));
    const signature = mustSign ? await signatureOf(commit.sha) : undefined;
    if (mustSign) {
      const problem = signatureProblem(signature, short);
      if (problem) {
        const more = gatedPaths.length > 1 ? ` (and ${gatedPaths.length - 1} more gated files)` : '';
        problems.push({ file: gatedPaths[0], reason: `${problem}${more}` });
        continue;
      }
    }
    const found = trust.directories.map((d) =>
      mustSign ? userBySigningKey(d, signature!.fingerprint) : userByEmail(d, commit.authorEmail),
    );
    const known = found.length > 0 && found.every((u) => u !== undefined);
    // The same user in both directories is judged once.
    const users = known ? [...new Map(found.map((u) => [`${u.username}\0${u.role}`, u])).values()] : undefined;
    const identity: Identified = mustSign
      ? { by: 'key', key: signature!.fingerprint, email: commit.authorEmail }
      : { by: 'email', email: commit.authorEmail };
    const byPath = new Map<string, VerifyProblem>();
    const judge = (gate: GatePolicy, where: string, user: DirectoryUser | undefined) => {
      const refused = judgement(
        gate,
        where,
        user,
        identity,
        changes,
        released,
        trust.directories.length > 0,
        readPrompt,
      );
      for (const p of refused) {
        if (!byPath.has(p.path)) byPath.set(p.path, { file: p.path, reason: `commit ${short} ${p.reason}` });
      }
    };
    for (const [gate, where] of gates) for (const user of users ?? [undefined]) judge(gate, where, user);
    problems.push(...byPath.values());
  }
  return problems;
}

/** How a commit's author was identified: by the key that signed it, or (signing not required) by git email. */
type Identified = { by: 'key'; key: string; email: string } | { by: 'email'; email: string };

/** The gated paths a commit changes (either side of a rename), under any of the access files judging it. */
function changedGatedPaths(commit: CommitWithChanges, gates: readonly [GatePolicy, string][]): string[] {
  const deciders = gates.map(([g]) => g.compiled ?? gatePolicyFrom(undefined).compiled!);
  return [
    ...new Set(
      commit.changes
        .flatMap((c) => [c.path, ...(c.oldPath ? [c.oldPath] : [])])
        .filter((p) => deciders.some((d) => isGatedPath(d, p))),
    ),
  ];
}

/** What `user` (undefined: not in a trusted directory) may not change in one commit under one access file. */
function judgement(
  gate: GatePolicy,
  /** Which access file: 'in its parent' or 'at the base'. */
  where: string,
  user: DirectoryUser | undefined,
  identity: Identified,
  changes: readonly GateChange[],
  released: ReleasedContent | undefined,
  haveDirectory: boolean,
  readPrompt: PromptReader,
): { path: string; reason: string }[] {
  // Nothing can be decided under a broken access file: only an admin's commit passes, anyone
  // else is checked as a viewer. An unknown author is a viewer too: whatever they changed
  // that needs any right is a problem.
  if (!gate.compiled && user && mayChangeUnderBrokenAccessFile({ username: user.username, role: user.role })) return [];
  const actor =
    user && gate.compiled
      ? { username: user.username, role: user.role }
      : { username: user?.username ?? identity.email, role: 'viewer' as const };
  const decider = gate.compiled ?? gatePolicyFrom(undefined).compiled!;
  const who =
    identity.by === 'key'
      ? `${user?.username ?? 'the owner of'} (signed with ${identity.key}; author email ${identity.email})`
      : user
        ? `${user.username} <${identity.email}>`
        : `<${identity.email}>`;
  return changeProblems(decider, actor, changes, released, readPrompt).map((p) => ({
    path: p.path,
    reason: !user
      ? identity.by === 'key'
        ? `is signed with ${identity.key}, which is not registered to the same user in every trusted user directory (the base's and HEAD's)`
        : `is by ${who}, who is not in the signed user directory${haveDirectory ? '' : ' (no valid directory)'}`
      : !gate.compiled
        ? `by ${who}: the access file ${where} has errors, and only admins may change prompts or protected files then`
        : `by ${who}: ${p.reason}${where === 'at the base' ? " (under the base's access file)" : ''}`,
  }));
}
