import type { KeyObject } from 'node:crypto';
import { contentSha256 } from './contentHash';
import { RELEASE_LOCK_PATH, type LockEntry } from './releaseLock';
import { verifyReleaseSignature } from './releaseRecord';
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
  const { release } = entry;
  const where = `${release.env} release (review ${release.reviewId})`;
  const at = { ok: false as const, file: lockFile, line: entry.line };
  // Built only for a problem: the ok path runs once per entry of a large lock.
  const located = (field: LockEntryProblem['field'], sentence: string) =>
    `${sentence} (${lockFile}:${entry.line}, ${field})`;
  if (bytes === undefined)
    return {
      ...at,
      kind: 'content-missing',
      field: 'path',
      message: located('path', `published as the ${where}, but the file is not there`),
    };
  const actual = contentSha256(bytes);
  if (actual !== release.sha256)
    return {
      ...at,
      kind: 'hash-mismatch',
      field: 'sha256',
      expected: release.sha256,
      actual,
      message: located(
        'sha256',
        `changed after publishing: its sha256 is ${actual.slice(0, 12)}…, the ${where} says ${release.sha256.slice(0, 12)}…`,
      ),
    };
  const key = trusted.get(release.keyId);
  if (!key) {
    const trustedIds = [...trusted.keys()];
    return {
      ...at,
      kind: 'unknown-key',
      field: 'keyId',
      keyId: release.keyId,
      trusted: trustedIds,
      message: located(
        'keyId',
        `the ${where} names signing key ${release.keyId}, not the trusted key ${trustedIds.join(' or ') || '(none)'}`,
      ),
    };
  }
  if (!verifyReleaseSignature(release, release.signature, key))
    return {
      ...at,
      kind: 'bad-signature',
      field: 'signature',
      keyId: release.keyId,
      message: located(
        'signature',
        `the ${where} has a signature that does not verify against the trusted key ${release.keyId}: the lock entry was edited or forged`,
      ),
    };
  return { ok: true, keyId: release.keyId };
}
