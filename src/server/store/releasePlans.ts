import type { SignedRelease } from '../../core/release/releaseRecord';
import type { SignedUnpublish } from '../../core/release/unpublishRecord';
import { chainAudit } from './auditPlans';
import {
  insertRelease,
  toPublishedVersion,
  toRelease,
  type PublishedVersionRow,
  type ReleaseDbRow,
} from './releaseRows';
import type {
  PublishedName,
  PublishedVersion,
  ReleaseFilter,
  ReleaseRow,
  UnpublishDecision,
  UnpublishOutcome,
} from './reviewRecords';
import { pagedSelect } from './pagedSelect';
import { execute, selectRows, selectRowsLocked, type Plan } from './sqlPlan';
import { Where } from './whereClause';

/**
 * Inside a review's transaction: the path's previous release in this env stops holding
 * its name and this one takes it (releases_name_env_key refuses it, as ConflictError,
 * while another path's release holds the name).
 */
export function* publishRelease(reviewId: number, release: SignedRelease, now: number): Plan<void> {
  yield* execute(
    'UPDATE releases SET holds_name = NULL WHERE path = ? AND env = ? AND holds_name = 1',
    release.path,
    release.env,
  );
  yield* insertRelease(reviewId, release, now);
}

/** Newest first. */
export function* listReleases(filter: ReleaseFilter): Plan<ReleaseRow[]> {
  const where = new Where();
  where.add('path = ?', filter.path);
  where.add('env = ?', filter.env);
  where.add('lower(workspace) = lower(?)', filter.workspace);
  where.add('review_id = ?', filter.reviewId === undefined ? undefined : Number(filter.reviewId));
  where.notIn('workspace', filter.hiddenWorkspaces);
  return (yield* pagedSelect<ReleaseDbRow>('SELECT * FROM releases', where, filter)).map(toRelease);
}

/**
 * The newest release of `path` in each env, with its content: the release's review
 * revision at the released hash (a review may return to an earlier head, hence LIMIT 1).
 * An env whose newest release was unpublished has no published version.
 */
export function* publishedVersions(path: string): Plan<PublishedVersion[]> {
  const rows = yield* selectRows<PublishedVersionRow>(
    `SELECT rel.env, rel.sha256,
       (SELECT rev.content FROM review_revisions rev
         WHERE rev.review_id = rel.review_id AND rev.head_hash = rel.sha256
         ORDER BY rev.number DESC LIMIT 1) AS content
     FROM releases rel
     WHERE rel.path = ? AND rel.id IN (SELECT max(id) FROM releases WHERE path = ? GROUP BY env)
       AND NOT EXISTS (SELECT 1 FROM unpublishes u WHERE u.release_id = rel.id)
     ORDER BY rel.env`,
    path,
    path,
  );
  return rows.map(toPublishedVersion);
}

/**
 * Every path and env whose newest release publishes `name`: an older release of a path
 * that has since been published under another name no longer holds the name, nor does
 * an unpublished one.
 */
export function* publishedUnderName(name: string): Plan<PublishedName[]> {
  const rows = yield* selectRows<PublishedName>(
    `SELECT rel.path, rel.env FROM releases rel
     WHERE rel.name = ? AND NOT EXISTS (
       SELECT 1 FROM releases newer WHERE newer.path = rel.path AND newer.env = rel.env AND newer.id > rel.id)
       AND NOT EXISTS (SELECT 1 FROM unpublishes u WHERE u.release_id = rel.id)
     ORDER BY rel.env, rel.path`,
    name,
  );
  return rows.map(({ path, env }) => ({ path, env }));
}

/** The newest release of a path in an env, and its unpublish record (JSON) if it was unpublished. */
const LATEST_RELEASE = `SELECT rel.*, u.record AS unpublish_record FROM releases rel
  LEFT JOIN unpublishes u ON u.release_id = rel.id
  WHERE rel.path = ? AND rel.env = ? ORDER BY rel.id DESC LIMIT 1`;

type LatestReleaseRow = ReleaseDbRow & { unpublish_record: string | null };

/**
 * Run in one transaction: the newest release is locked (PostgreSQL: a concurrent
 * unpublish of it waits, then sees the record; SQLite: the write transaction), `decide`
 * signs or refuses, and the record, the freed name and the audit entry are written together.
 */
export function* unpublishRelease<Refusal>(
  path: string,
  env: string,
  decide: UnpublishDecision<Refusal>,
): Plan<UnpublishOutcome<Refusal>> {
  const row = (yield* selectRowsLocked<LatestReleaseRow>(LATEST_RELEASE, 'FOR UPDATE OF rel', path, env))[0];
  if (!row) return { kind: 'not_published' };
  if (row.unpublish_record) return { kind: 'already', record: JSON.parse(row.unpublish_record) as SignedUnpublish };
  const release = toRelease(row);
  const decided = decide(release);
  if (decided.kind === 'refuse') return { kind: 'refused', refusal: decided.refusal };
  const { record, audit } = decided;
  // Nothing when the release was unpublished already (the unique index on release_id).
  const inserted = yield* execute(
    `INSERT INTO unpublishes (release_id, path, env, record, unpublished_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
    Number(release.id),
    record.path,
    record.env,
    JSON.stringify(record),
    record.unpublishedBy,
    audit.at,
  );
  if (inserted === 0) {
    const again = (yield* selectRows<LatestReleaseRow>(LATEST_RELEASE, path, env))[0];
    if (again?.unpublish_record)
      return { kind: 'already', record: JSON.parse(again.unpublish_record) as SignedUnpublish };
  }
  // A retired release no longer holds its name (releases_name_env_key): another path may publish it.
  yield* execute('UPDATE releases SET holds_name = NULL WHERE id = ?', Number(release.id));
  yield* chainAudit(audit);
  return { kind: 'unpublished', record };
}
