// Plain data, no Node imports: the shared API types (and so the webview) use these too.

// The release record's type follows from its one definition (TypeBox, no Node imports either).
export type { ReleaseRecord, SignedRelease } from './releaseRecordSchema';

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
