import type { KeyObject } from 'node:crypto';
import type { CanonicalValue } from './canonicalJson';
import { signValue, verifyValue } from './domainSignature';

/** What the server signs when a reviewed prompt is published to an env. */
export interface ReleaseRecord {
  /** Repo-relative path of the prompt file, forward slashes. */
  path: string;
  /** The prompt's name (its own name field, else its file name). */
  name: string;
  workspace: string;
  env: string;
  /** sha256 of the file's bytes, lowercase hex. */
  sha256: string;
  reviewId: string;
  /** Username of the change's author. */
  author: string;
  /** Usernames whose approvals counted, in the order they approved. */
  approvers: string[];
  /** Username of whoever published. */
  publisher: string;
  /** ISO 8601 time of publishing. */
  publishedAt: string;
  /** Id of the signing key (see keyIdOf). */
  keyId: string;
}

/** A release record with the server's Ed25519 signature (base64) over it. */
export interface SignedRelease extends ReleaseRecord {
  signature: string;
}

/** The fields of a record, in the order the lock file writes them. */
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

export function signRelease(record: ReleaseRecord, privateKey: KeyObject): SignedRelease {
  return { ...pickRecord(record), signature: signValue(RELEASE_SIGNATURE_DOMAIN, releaseRecordValue(record), privateKey) };
}

export function verifyReleaseSignature(record: ReleaseRecord, signature: string, publicKey: KeyObject): boolean {
  return verifyValue(RELEASE_SIGNATURE_DOMAIN, releaseRecordValue(record), signature, publicKey);
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
  };
}
