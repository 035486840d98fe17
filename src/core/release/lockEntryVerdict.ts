import type { KeyObject } from 'node:crypto';
import { contentSha256 } from './contentHash';
import { RELEASE_LOCK_PATH, type LockEntry } from './releaseLock';
import { verifyReleaseSignature, verifyReleaseSignatureOffThread } from './releaseRecord';
import { keyIdOf } from './signingKeys';

/** The keys a lock entry may be signed by, by key id (computed once: verify checks thousands of entries). */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

export function trustedKeys(...keys: KeyObject[]): TrustedKeys {
  return new Map(keys.map((k) => [keyIdOf(k), k]));
}

/** Why a lock entry does not vouch for the content, each with the lock field at fault. */
export type LockEntryProblem =
  | { kind: 'content-missing'; field: 'path' }
  | { kind: 'hash-mismatch'; field: 'sha256'; expected: string; actual: string }
  | { kind: 'unknown-key'; field: 'keyId'; keyId: string; trusted: string[] }
  | { kind: 'bad-signature'; field: 'signature'; keyId: string };

export type LockEntryVerdict =
  | { ok: true; keyId: string }
  | (LockEntryProblem & {
      ok: false;
      /** Where the entry stands: the lock file and the entry's line. */
      file: string;
      line: number;
      /** One sentence about the prompt file (the caller names the file first), ending with the lock line and field. */
      message: string;
    });

/**
 * The one check of a lock entry against content: the bytes hash to the entry's sha256,
 * the entry names a trusted key, and its signature verifies with that key. Every problem
 * found is reported in that order of precedence: a content mismatch first (the file was
 * changed), then the key, then the signature.
 */
export function verifyLockEntry(
  entry: LockEntry,
  bytes: Uint8Array | undefined,
  trusted: TrustedKeys,
  lockFile: string = RELEASE_LOCK_PATH,
): LockEntryVerdict {
  const checked = contentAndKey(entry, bytes, trusted, lockFile);
  if (!('key' in checked)) return checked;
  return signatureVerdict(entry, verifyReleaseSignature(entry.release, entry.release.signature, checked.key), lockFile);
}

/**
 * verifyLockEntry for each of many entries, verdicts in their order: the signatures are
 * checked on libuv's thread pool, a window of them at a time, so a large lock uses every
 * core and this thread keeps its turns (verify's 10,000 entries: bench:verify).
 */
export async function verifyLockEntries(
  entries: readonly LockEntry[],
  bytesOf: (entry: LockEntry) => Uint8Array | undefined,
  trusted: TrustedKeys,
  lockFile: string = RELEASE_LOCK_PATH,
): Promise<LockEntryVerdict[]> {
  const verdicts: LockEntryVerdict[] = [];
  // Enough in flight to keep the pool's threads busy, few enough that memory stays flat;
  // every check passes through it, so all are done once it is.
  const window: Promise<void>[] = [];
  for (const [i, entry] of entries.entries()) {
    const checked = contentAndKey(entry, bytesOf(entry), trusted, lockFile);
    if (!('key' in checked)) {
      verdicts[i] = checked;
      continue;
    }
    window.push(
      verifyReleaseSignatureOffThread(entry.release, entry.release.signature, checked.key).then((ok) => {
        verdicts[i] = signatureVerdict(entry, ok, lockFile);
      }),
    );
    if (window.length >= SIGNATURES_IN_FLIGHT) await window.shift();
  }
  await Promise.all(window);
  return verdicts;
}

const SIGNATURES_IN_FLIGHT = 256;

/** Where the entry stands, and its message, for a problem with `field`. */
function problemAt(entry: LockEntry, lockFile: string, field: LockEntryProblem['field'], sentence: string) {
  return {
    ok: false as const,
    file: lockFile,
    line: entry.line,
    message: `${sentence} (${lockFile}:${entry.line}, ${field})`,
  };
}

/** How a message names the release: its env and review. */
function releaseLabel(entry: LockEntry): string {
  return `${entry.release.env} release (review ${entry.release.reviewId})`;
}

/** The checks before the signature: a problem's verdict, or the trusted key to check the signature with. */
function contentAndKey(
  entry: LockEntry,
  bytes: Uint8Array | undefined,
  trusted: TrustedKeys,
  lockFile: string,
): LockEntryVerdict | { key: KeyObject } {
  const { release } = entry;
  // Messages are built only for a problem: the ok path runs once per entry of a large lock.
  if (bytes === undefined)
    return {
      ...problemAt(entry, lockFile, 'path', `published as the ${releaseLabel(entry)}, but the file is not there`),
      kind: 'content-missing',
      field: 'path',
    };
  const actual = contentSha256(bytes);
  if (actual !== release.sha256)
    return {
      ...problemAt(
        entry,
        lockFile,
        'sha256',
        `changed after publishing: its sha256 is ${actual.slice(0, 12)}…, the ${releaseLabel(entry)} says ${release.sha256.slice(0, 12)}…`,
      ),
      kind: 'hash-mismatch',
      field: 'sha256',
      expected: release.sha256,
      actual,
    };
  const key = trusted.get(release.keyId);
  if (key) return { key };
  const trustedIds = [...trusted.keys()];
  return {
    ...problemAt(
      entry,
      lockFile,
      'keyId',
      `the ${releaseLabel(entry)} names signing key ${release.keyId}, not the trusted key ${trustedIds.join(' or ') || '(none)'}`,
    ),
    kind: 'unknown-key',
    field: 'keyId',
    keyId: release.keyId,
    trusted: trustedIds,
  };
}

function signatureVerdict(entry: LockEntry, signatureOk: boolean, lockFile: string): LockEntryVerdict {
  const { keyId } = entry.release;
  if (signatureOk) return { ok: true, keyId };
  return {
    ...problemAt(
      entry,
      lockFile,
      'signature',
      `the ${releaseLabel(entry)} has a signature that does not verify against the trusted key ${keyId}: the lock entry was edited or forged`,
    ),
    kind: 'bad-signature',
    field: 'signature',
    keyId,
  };
}
