import type { SignedRelease } from '../../core/release/releaseRecord';
import type { PublishedVersion, ReleaseRow } from './reviewRecords';
import { RELEASE_COLUMNS, releaseColumnValues, releaseFromColumns, type ReleaseRecordColumns } from './releaseColumns';
import { execute, type Plan } from './sqlPlan';

/** A release row: the record's columns (releaseColumns.ts, from its one definition), the row's id and time. */
export interface ReleaseDbRow extends ReleaseRecordColumns {
  id: number;
  created_at: number;
}

export function toRelease(row: ReleaseDbRow): ReleaseRow {
  return { id: String(row.id), ...releaseFromColumns(row), createdAt: row.created_at };
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
    `INSERT INTO releases (${RELEASE_COLUMNS.join(', ')}, holds_name, created_at)
     VALUES (${RELEASE_COLUMNS.map(() => '?').join(', ')}, 1, ?)`,
    ...releaseColumnValues({ ...r, reviewId: String(reviewId) }),
    now,
  );
}
