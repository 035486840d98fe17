import type { KeyObject } from 'node:crypto';
import type { CanonicalValue } from './canonicalJson';
import { signValue, verifyValue } from './domainSignature';
import type { SignedRelease } from './releaseRecordTypes';

/**
 * What the server signs when it takes a prompt out of an env: the release it retires
 * (review, content and time, so the record can never retire a later publish of the same
 * path), who did it and when. Verify lets a lock entry disappear only with such a record.
 */
export interface UnpublishRecord {
  path: string;
  env: string;
  /** The retired release's name (so the loader can say what happened to it). */
  name: string;
  workspace: string;
  /** The retired release: its review, sha256 and publishedAt. */
  reviewId: string;
  sha256: string;
  publishedAt: string;
  unpublishedBy: string;
  /** ISO 8601, always later than the retired release's publishedAt. */
  unpublishedAt: string;
  keyId: string;
}

export interface SignedUnpublish extends UnpublishRecord {
  signature: string;
}

export const UNPUBLISH_RECORD_FIELDS = [
  'path',
  'env',
  'name',
  'workspace',
  'reviewId',
  'sha256',
  'publishedAt',
  'unpublishedBy',
  'unpublishedAt',
  'keyId',
] as const satisfies readonly (keyof UnpublishRecord)[];

export const UNPUBLISH_SIGNATURE_DOMAIN = 'promptops-unpublish-v1\n';

export function unpublishRecordValue(record: UnpublishRecord): CanonicalValue {
  return Object.fromEntries(UNPUBLISH_RECORD_FIELDS.map((f) => [f, record[f]]));
}

export function signUnpublish(record: UnpublishRecord, privateKey: KeyObject): SignedUnpublish {
  const value = unpublishRecordValue(record) as unknown as UnpublishRecord;
  return { ...value, signature: signValue(UNPUBLISH_SIGNATURE_DOMAIN, unpublishRecordValue(record), privateKey) };
}

export function verifyUnpublishSignature(record: SignedUnpublish, publicKey: KeyObject): boolean {
  return verifyValue(UNPUBLISH_SIGNATURE_DOMAIN, unpublishRecordValue(record), record.signature, publicKey);
}

/** Whether the record retires exactly this release (not an earlier or later publish of the same path and env). */
export function retires(record: UnpublishRecord, release: SignedRelease): boolean {
  return (
    record.path === release.path &&
    record.env === release.env &&
    record.reviewId === release.reviewId &&
    record.sha256 === release.sha256 &&
    record.publishedAt === release.publishedAt &&
    Date.parse(record.unpublishedAt) > Date.parse(release.publishedAt)
  );
}
