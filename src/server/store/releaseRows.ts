import type { SignedRelease } from '../../core/release/releaseRecord';
import type { PublishedVersion, ReleaseRow } from './reviewRecords';
import { SignedReleaseSchema } from '../../core/release/releaseRecordSchema';
import { recordColumns, type ColumnRow } from './recordColumns';
import { execute, type Plan } from './sqlPlan';

/** The releases table's record columns, from the signed record's one definition (review_id holds the review's row id). */
const RELEASE_COLUMNS = recordColumns(SignedReleaseSchema);

/** A release row: the record's columns (RELEASE_COLUMNS), the row's id and time. */
export interface ReleaseDbRow extends ColumnRow {
  id: number;
  created_at: number;
}

export function toRelease(row: ReleaseDbRow): ReleaseRow {
  return { id: String(row.id), ...RELEASE_COLUMNS.fromRow(row), createdAt: row.created_at };
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
  // The record's columns follow from its definition; the review is the one this transaction writes.
  yield* execute(
    `INSERT INTO releases (${RELEASE_COLUMNS.names.join(', ')}, holds_name, created_at)
     VALUES (${RELEASE_COLUMNS.placeholders}, 1, ?)`,
    ...RELEASE_COLUMNS.values({ ...r, reviewId: String(reviewId) }),
    now,
  );
}
