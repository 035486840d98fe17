import type { KeyObject } from 'node:crypto';
import type { CanonicalValue } from './canonicalJson';
import { signPayload, verifyPayload, verifyPayloadOffThread } from './domainSignature';
import { pickRecord, RELEASE_RECORD_FIELDS, type ReleaseRecord, type SignedRelease } from './releaseRecordSchema';

export { pickRecord, RELEASE_RECORD_FIELDS } from './releaseRecordSchema';
export type { ReleaseRecord, SignedRelease } from './releaseRecordSchema';

export const RELEASE_SIGNATURE_DOMAIN = 'promptops-release-v1\n';

/** Exactly the record's fields: anything else a caller's object carries is not signed. */
export function releaseRecordValue(record: ReleaseRecord): CanonicalValue {
  return { ...pickRecord(record) };
}

/** The record's fields in canonical JSON's order (keys sorted by UTF-16 code unit), each with its `"key":`. */
const SIGNED_ORDER = [...RELEASE_RECORD_FIELDS]
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  .map((field) => ({ ...field, key: `${JSON.stringify(field.name)}:` }));

/**
 * The signed bytes: the domain line, then the record as canonical JSON. Written out field
 * by field in sorted key order (the same bytes canonicalJson gives, which a test holds it
 * to) because verify does this 10,000 times for a large lock. An absent optional field is
 * left out, so a record without it signs the very bytes it always did.
 */
export function releasePayload(record: ReleaseRecord): Buffer {
  const s = JSON.stringify;
  const values = record as Partial<Record<string, string | string[]>>;
  let json = '';
  for (const field of SIGNED_ORDER) {
    const value = values[field.name];
    if (value === undefined && field.optional) continue;
    const written = Array.isArray(value) ? `[${value.map((v) => s(v)).join(',')}]` : s(value);
    json += `${json === '' ? '{' : ','}${field.key}${written}`;
  }
  return Buffer.from(`${RELEASE_SIGNATURE_DOMAIN}${json}}`, 'utf8');
}

export function signRelease(record: ReleaseRecord, privateKey: KeyObject): SignedRelease {
  return { ...pickRecord(record), signature: signPayload(releasePayload(record), privateKey) };
}

export function verifyReleaseSignature(record: ReleaseRecord, signature: string, publicKey: KeyObject): boolean {
  return verifyPayload(releasePayload(record), signature, publicKey);
}

/** verifyReleaseSignature on libuv's thread pool (see verifyPayloadOffThread). */
export function verifyReleaseSignatureOffThread(
  record: ReleaseRecord,
  signature: string,
  publicKey: KeyObject,
): Promise<boolean> {
  return verifyPayloadOffThread(releasePayload(record), signature, publicKey);
}
