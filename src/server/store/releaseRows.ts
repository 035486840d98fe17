import type { SignedRelease } from '../../core/release/releaseRecord';
import type { PublishedVersion, ReleaseRow } from './reviewRecords';
import { execute, type Plan } from './sqlPlan';

/**
 * A release's row, in one place: the columns `insertRelease` writes and `toRelease` reads
 * back (the same in both dialects).
 */
export interface ReleaseDbRow {
  id: number;
  review_id: number;
  path: string;
  env: string;
  name: string;
  workspace: string;
  sha256: string;
  author: string;
  approvers: string;
  publisher: string;
  published_at: string;
  key_id: string;
  signature: string;
  /** Digest of the evaluation run publishing needed; null before migration 12 or without one. */
  evaluation: string | null;
  created_at: number;
}

export function toRelease(row: ReleaseDbRow): ReleaseRow {
  return {
    id: String(row.id),
    reviewId: String(row.review_id),
    path: row.path,
    env: row.env,
    name: row.name,
    workspace: row.workspace,
    sha256: row.sha256,
    author: row.author,
    approvers: JSON.parse(row.approvers) as string[],
    publisher: row.publisher,
    publishedAt: row.published_at,
    keyId: row.key_id,
    signature: row.signature,
    ...(row.evaluation ? { evaluation: row.evaluation } : {}),
    createdAt: row.created_at,
  };
}

export interface PublishedVersionRow {
  env: string;
  sha256: string;
  content: string | null;
}

/** A release always comes from a review's head; a missing revision would be a broken database. */
export function toPublishedVersion(row: PublishedVersionRow): PublishedVersion {
  if (row.content === null) throw new Error(`the release of ${row.sha256} in ${row.env} has no review revision`);
  return { env: row.env, sha256: row.sha256, content: row.content };
}

/** Writes a published release; it holds its name in its env (`releases_name_env_key`) until a later one of its path. */
export function* insertRelease(reviewId: number, r: SignedRelease, now: number): Plan<void> {
  yield* execute(
    `INSERT INTO releases (review_id, path, env, name, workspace, sha256, author, approvers, publisher, published_at,
       key_id, signature, evaluation, holds_name, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
    reviewId,
    r.path,
    r.env,
    r.name,
    r.workspace,
    r.sha256,
    r.author,
    JSON.stringify(r.approvers),
    r.publisher,
    r.publishedAt,
    r.keyId,
    r.signature,
    r.evaluation ?? null,
    now,
  );
}
