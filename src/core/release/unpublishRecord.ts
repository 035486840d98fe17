import type { KeyObject } from 'node:crypto';
import type { CanonicalValue } from './canonicalJson';
import { signValue, verifyValue } from './domainSignature';
import type { SignedRelease, SignedUnpublish, UnpublishRecord } from './releaseRecordTypes';
import { UNPUBLISH_RECORD_FIELDS } from './unpublishRecordSchema';

export type { SignedUnpublish, UnpublishRecord } from './releaseRecordTypes';

export { UNPUBLISH_RECORD_FIELDS } from './unpublishRecordSchema';

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
