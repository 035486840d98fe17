import type { KeyObject } from 'node:crypto';
import type { CanonicalValue } from './canonicalJson';
import { signPayload, verifyPayload } from './domainSignature';
import type { ReleaseRecord, SignedRelease } from './releaseRecordTypes';

export type { ReleaseRecord, SignedRelease } from './releaseRecordTypes';

/** The fields of a record, in the order the lock file writes them (`evaluation`, optional, follows `keyId`). */
export const RELEASE_RECORD_FIELDS = [
  'path',
  'env',
  'name',
  'workspace',
  'sha256',
  'reviewId',
  'author',
  'approvers',
  'publisher',
  'publishedAt',
  'keyId',
] as const satisfies readonly (keyof ReleaseRecord)[];

export const RELEASE_SIGNATURE_DOMAIN = 'promptops-release-v1\n';

/** Exactly the record's fields: anything else a caller's object carries is not signed. */
export function releaseRecordValue(record: ReleaseRecord): CanonicalValue {
  return { ...pickRecord(record) };
}

/**
 * The signed bytes: the domain line, then the record as canonical JSON. Written out field
 * by field in sorted key order (the same bytes canonicalJson gives, which a test holds it
 * to) because verify does this 10,000 times for a large lock.
 */
export function releasePayload(record: ReleaseRecord): Buffer {
  const s = JSON.stringify;
  // Only when present: a record without an evaluation signs the very bytes it always did.
  const evaluation = record.evaluation === undefined ? '' : `"evaluation":${s(record.evaluation)},`;
  return Buffer.from(
    `${RELEASE_SIGNATURE_DOMAIN}{"approvers":[${record.approvers.map((a) => s(a)).join(',')}],"author":${s(record.author)},"env":${s(record.env)},${evaluation}` +
      `"keyId":${s(record.keyId)},"name":${s(record.name)},"path":${s(record.path)},"publishedAt":${s(record.publishedAt)},` +
      `"publisher":${s(record.publisher)},"reviewId":${s(record.reviewId)},"sha256":${s(record.sha256)},"workspace":${s(record.workspace)}}`,
    'utf8',
  );
}

export function signRelease(record: ReleaseRecord, privateKey: KeyObject): SignedRelease {
  return { ...pickRecord(record), signature: signPayload(releasePayload(record), privateKey) };
}

export function verifyReleaseSignature(record: ReleaseRecord, signature: string, publicKey: KeyObject): boolean {
  return verifyPayload(releasePayload(record), signature, publicKey);
}

/** A copy holding only the record fields. */
export function pickRecord(record: ReleaseRecord): ReleaseRecord {
  return {
    path: record.path,
    name: record.name,
    workspace: record.workspace,
    env: record.env,
    sha256: record.sha256,
    reviewId: record.reviewId,
    author: record.author,
    approvers: [...record.approvers],
    publisher: record.publisher,
    publishedAt: record.publishedAt,
    keyId: record.keyId,
    ...(record.evaluation === undefined ? {} : { evaluation: record.evaluation }),
  };
}
