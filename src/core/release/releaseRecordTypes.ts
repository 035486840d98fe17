// Plain data, no Node imports: the shared API types (and so the webview) use these too.

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
  /**
   * Digest (sha256 hex) of the server's evaluation run that publishing needed, when the
   * approval rule required one. Absent from older records, which sign without it.
   */
  evaluation?: string;
}

/** A release record with the server's Ed25519 signature (base64) over it. */
export interface SignedRelease extends ReleaseRecord {
  signature: string;
}

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
