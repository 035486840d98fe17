import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import { AUDIT_GENESIS, auditEntryHash } from '../../core/audit/auditChain';
import type { AuditCheckpointRecord, NewAuditEntry, AuditFilter } from './auditRecords';
import type { AwaitingApprovalBy, NewReview, ReleaseFilter, ReviewFilter, ReviewWrite } from './reviewRecords';
import { jsonOrNull, PAGE_VERDICT_COLUMNS, REVIEWS_VERDICT_SELECT, VERDICT_SELECT } from './workflowRows';
import type { SignedUnpublish } from '../../core/release/unpublishRecord';
import { RELEASE_COLUMNS, releaseColumnValues } from './releaseColumns';

/**
 * The SQL of reviews, releases, the audit log and access-file versions, written once
 * with `?` placeholders: both dialects run the same statements (PostgreSQL after
 * `numberedPlaceholders`). Builders are pure, so SQLite can run them inside its
 * synchronous transactions and PostgreSQL inside its async ones.
 */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** `?` → `$1, $2, …` for PostgreSQL. No statement here has a literal `?`. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export const REVIEW_STATE_SQL = {
  review: 'SELECT * FROM reviews WHERE id = ?',
  revisions: 'SELECT * FROM review_revisions WHERE review_id = ? ORDER BY number',
  verdicts: `${VERDICT_SELECT} WHERE v.review_id = ? ORDER BY v.id`,
  comments: 'SELECT * FROM review_comments WHERE review_id = ? ORDER BY id',
  release: 'SELECT * FROM releases WHERE review_id = ?',
  evaluations: 'SELECT * FROM evaluation_runs WHERE review_id = ? ORDER BY id',
  evaluationSlots: 'SELECT * FROM evaluation_slots WHERE review_id = ? ORDER BY id',
} as const;

export function insertReviewStatement(review: NewReview): Statement {
  return {
    sql: `INSERT INTO reviews (path, name, workspace, env, prompt_workspace, prompt_env, status, author_id, author, note,
            base_hash, base_content, head_hash, reviewed_hash, revision, git_branch, git_commit, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id`,
    params: [
      review.path,
      review.name,
      review.workspace,
      review.env,
      review.promptWorkspace,
      review.promptEnv,
      review.authorId,
      review.author,
      review.note,
      review.baseHash,
      review.baseContent,
      review.headHash,
      review.reviewedHash,
      review.gitBranch,
      review.gitCommit,
      review.createdAt,
      review.createdAt,
    ],
  };
}

export function insertFirstRevisionStatement(reviewId: number, review: NewReview): Statement {
  return {
    sql: `INSERT INTO review_revisions (review_id, number, head_hash, reviewed_hash, content, dataset, note, git_branch,
            git_commit, author, created_at)
          VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    params: [
      reviewId,
      review.headHash,
      review.reviewedHash,
      review.content,
      review.dataset,
      review.note,
      review.gitBranch,
      review.gitCommit,
      review.author,
      review.createdAt,
    ],
  };
}

/** The statements one write makes; `revision` is the review's revision number before the write. */
export function reviewWriteStatements(
  reviewId: number,
  currentRevision: number,
  headHash: string,
  write: ReviewWrite,
  now: number,
): Statement[] {
  switch (write.kind) {
    case 'revision': {
      const r = write.revision;
      return [
        {
          sql: `INSERT INTO review_revisions (review_id, number, head_hash, reviewed_hash, content, dataset, note, git_branch,
                  git_commit, author, created_at)
                SELECT ?, revision + 1, ?, ?, ?, ?, ?, ?, ?, author, ? FROM reviews WHERE id = ?`,
          params: [
            reviewId,
            r.headHash,
            r.reviewedHash,
            r.content,
            r.dataset,
            r.note,
            r.gitBranch,
            r.gitCommit,
            now,
            reviewId,
          ],
        },
        {
          sql: `UPDATE reviews SET revision = revision + 1, head_hash = ?, reviewed_hash = ?, base_hash = ?, base_content = ?, name = ?,
                  workspace = ?, env = ?, prompt_workspace = ?, prompt_env = ?, git_branch = ?, git_commit = ?, updated_at = ?
                WHERE id = ?`,
          params: [
            r.headHash,
            r.reviewedHash,
            r.baseHash,
            r.baseContent,
            r.name,
            r.workspace,
            r.env,
            r.promptWorkspace,
            r.promptEnv,
            r.gitBranch,
            r.gitCommit,
            now,
            reviewId,
          ],
        },
      ];
    }
    case 'dismissVerdicts':
      return [
        {
          sql: 'UPDATE review_verdicts SET dismissed_at = ?, dismissed_reason = ? WHERE review_id = ? AND dismissed_at IS NULL',
          params: [now, write.reason, reviewId],
        },
      ];
    case 'verdict':
      return [
        {
          sql: `INSERT INTO review_verdicts (review_id, revision, head_hash, user_id, username, verdict, note, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          params: [reviewId, currentRevision, headHash, write.userId, write.username, write.verdict, write.note, now],
        },
        touch(reviewId, now),
      ];
    case 'comment':
      return [
        {
          sql: 'INSERT INTO review_comments (review_id, revision, user_id, username, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          params: [reviewId, currentRevision, write.userId, write.username, write.body, now],
        },
        touch(reviewId, now),
      ];
    case 'close':
      return [
        {
          sql: 'UPDATE reviews SET status = ?, closed_at = ?, closed_by = ?, updated_at = ? WHERE id = ?',
          params: [write.status, now, write.by, now, reviewId],
        },
      ];
    case 'release': {
      const r = write.release;
      return [
        // The path's previous release in this env stops holding its name; this one takes it
        // (releases_name_env_key refuses it while another path's release holds the name).
        {
          sql: 'UPDATE releases SET holds_name = NULL WHERE path = ? AND env = ? AND holds_name = 1',
          params: [r.path, r.env],
        },
        {
          // The record's columns follow from its definition; the review is the one this transaction writes.
          sql: `INSERT INTO releases (${RELEASE_COLUMNS.join(', ')}, holds_name, created_at)
                VALUES (${RELEASE_COLUMNS.map(() => '?').join(', ')}, 1, ?)`,
          params: [...releaseColumnValues({ ...r, reviewId: String(reviewId) }), now],
        },
      ];
    }
    case 'delivery': {
      const d = write.delivery;
      return [
        {
          sql: `UPDATE reviews SET delivery_state = ?, delivery_target = ?, delivery_branch = ?, delivery_commit = ?,
                  delivery_by = ?, delivery_at = ?, updated_at = ? WHERE id = ?`,
          params: [d.state, d.target, d.branch, d.commit, d.by, d.at, now, reviewId],
        },
      ];
    }
    case 'evaluation': {
      const r = write.run;
      return [
        ...(write.slot === undefined ? [] : [freeSlot(reviewId, write.slot)]),
        {
          sql: `INSERT INTO evaluation_runs (review_id, revision, sha256, runs, required_pass_rate, passed_runs, judged_runs,
                  passed, cases, model, run_by, digest, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          params: [
            reviewId,
            r.revision,
            r.sha256,
            r.runs,
            r.requiredPassRate,
            r.passedRuns,
            r.judgedRuns,
            r.passed ? 1 : 0,
            JSON.stringify(r.cases),
            r.model,
            r.runBy,
            r.digest,
            r.createdAt,
          ],
        },
        touch(reviewId, now),
      ];
    }
    case 'evaluationSlot':
      return [
        { sql: 'DELETE FROM evaluation_slots WHERE review_id = ? AND expires_at <= ?', params: [reviewId, now] },
        {
          sql: 'INSERT INTO evaluation_slots (review_id, revision, run_by, started_at, expires_at) VALUES (?, ?, ?, ?, ?)',
          params: [reviewId, write.revision, write.runBy, now, write.expiresAt],
        },
      ];
    case 'freeEvaluationSlot':
      return [freeSlot(reviewId, write.slot)];
  }
}

function freeSlot(reviewId: number, slot: string): Statement {
  return { sql: 'DELETE FROM evaluation_slots WHERE review_id = ? AND id = ?', params: [reviewId, Number(slot)] };
}

function touch(reviewId: number, now: number): Statement {
  return { sql: 'UPDATE reviews SET updated_at = ? WHERE id = ?', params: [now, reviewId] };
}

/**
 * The chain's tail. Read and appended to inside one transaction that holds the audit
 * lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: AUDIT_LOCK_SQL), so two processes never
 * chain two entries to one tail.
 */
export const AUDIT_TAIL_SQL = 'SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1';
export const AUDIT_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.promptops.audit'))";

/** The entry chained to `prevHash` (the tail's hash, or null for the first). */
export function insertAuditStatement(entry: NewAuditEntry, prevHash: string | null): Statement {
  const before = jsonOrNull(entry.before);
  const after = jsonOrNull(entry.after);
  const fields = {
    at: entry.at,
    actor: entry.actor,
    actorRole: entry.actorRole,
    action: entry.action,
    outcome: entry.outcome ?? 'done',
    reason: entry.reason ?? null,
    targetType: entry.targetType,
    targetId: entry.targetId,
    // Hashed as read back, so what is stored and what is hashed are the same JSON.
    before: before === null ? null : (JSON.parse(before) as unknown),
    after: after === null ? null : (JSON.parse(after) as unknown),
    address: entry.address,
    prevHash: prevHash ?? AUDIT_GENESIS,
  };
  return {
    sql: `INSERT INTO audit_log (at, actor, actor_role, action, target_type, target_id, before_json, after_json, address,
            outcome, reason, prev_hash, hash)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    params: [
      entry.at,
      entry.actor,
      entry.actorRole,
      entry.action,
      entry.targetType,
      entry.targetId,
      before,
      after,
      entry.address,
      fields.outcome,
      fields.reason,
      fields.prevHash,
      auditEntryHash(fields),
    ],
  };
}

export function insertCheckpointStatement(c: AuditCheckpointRecord): Statement {
  return {
    sql: 'INSERT INTO audit_checkpoints (entry_id, hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?)',
    params: [Number(c.entryId), c.hash, c.at, c.keyId, c.signature],
  };
}

export const AUDIT_TAIL_ENTRY_SQL = 'SELECT id, hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1';
export const LAST_CHECKPOINT_SQL = 'SELECT * FROM audit_checkpoints ORDER BY id DESC LIMIT 1';
export const LIST_CHECKPOINTS_SQL = 'SELECT * FROM audit_checkpoints ORDER BY id';

class Where {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];
  add(condition: string, value: unknown): void {
    if (value === undefined) return;
    this.conditions.push(condition);
    this.params.push(value);
  }
  /** `column NOT IN (…)`; nothing when the list is empty or absent. */
  notIn(column: string, values: readonly unknown[] | undefined): void {
    if (!values?.length) return;
    this.conditions.push(`${column} NOT IN (${values.map(() => '?').join(', ')})`);
    this.params.push(...values);
  }
  toString(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

export function listReviewsStatement(filter: ReviewFilter): Statement {
  const where = new Where();
  where.add('status = ?', filter.status);
  where.add('lower(workspace) = lower(?)', filter.workspace);
  where.add('env = ?', filter.env);
  where.add('lower(author) = lower(?)', filter.author);
  where.add('path = ?', filter.path);
  if (filter.awaitingMerge) where.add('delivery_state = ?', 'awaiting-merge');
  where.notIn('workspace', filter.hiddenWorkspaces);
  where.add('id < ?', filter.beforeId);
  if (filter.awaitingApprovalBy) awaitingApproval(where, filter.awaitingApprovalBy);
  return {
    sql: `SELECT * FROM reviews ${where.toString()} ORDER BY id DESC LIMIT ?`,
    params: [...where.params, filter.limit],
  };
}

/**
 * Placed where the user may approve (not their own where self-approval is off), or the
 * access file when they may approve it (never their own), and their newest standing
 * verdict is not an approval. No place and no access file: nothing.
 */
function awaitingApproval(where: Where, by: AwaitingApprovalBy): void {
  const notMine = 'lower(author) <> lower(?)';
  const anyone = by.places.filter((p) => p.selfApproval);
  const others = by.places.filter((p) => !p.selfApproval);
  const inPlaces = (places: typeof by.places): string =>
    `(workspace, env) IN (VALUES ${places.map(() => '(?, ?)').join(', ')})`;
  const placed: string[] = [];
  const params: unknown[] = [];
  if (anyone.length) {
    placed.push(inPlaces(anyone));
    params.push(...anyone.flatMap((p) => [p.workspace, p.env]));
  }
  if (others.length) {
    placed.push(`(${inPlaces(others)} AND ${notMine})`);
    params.push(...others.flatMap((p) => [p.workspace, p.env]), by.username);
  }
  const alternatives: string[] = [];
  if (placed.length) alternatives.push(`(path <> ? AND (${placed.join(' OR ')}))`);
  if (by.accessFile) alternatives.push(`(path = ? AND ${notMine})`);
  if (alternatives.length === 0) {
    where.conditions.push('1 = 0');
    return;
  }
  where.conditions.push(`(${alternatives.join(' OR ')})`);
  if (placed.length) where.params.push(ACCESS_FILE_PATH, ...params);
  if (by.accessFile) where.params.push(ACCESS_FILE_PATH, by.username);
  where.conditions.push(
    `coalesce((SELECT v.verdict FROM review_verdicts v
       WHERE v.review_id = reviews.id AND v.user_id = ? AND v.dismissed_at IS NULL ORDER BY v.id DESC LIMIT 1), '') <> 'approve'`,
  );
  where.params.push(by.userId);
}

/** Every verdict of the given reviews, oldest first. */
export function verdictsOfReviewsStatement(reviewIds: readonly number[]): Statement {
  return {
    sql: `${REVIEWS_VERDICT_SELECT} WHERE v.review_id IN (${reviewIds.map(() => '?').join(', ')}) ORDER BY v.id`,
    params: [...reviewIds],
  };
}

/**
 * A page of `listReviewsStatement` with every verdict of its reviews, in one statement (one
 * snapshot, one round trip, for PostgreSQL): a row per verdict (or one with null verdict columns), the
 * page's order, each review's verdicts oldest first. Read with `pageWithVerdicts`.
 */
export function listReviewsWithVerdictsStatement(filter: ReviewFilter): Statement {
  const page = listReviewsStatement(filter);
  return {
    sql: `WITH page AS (${page.sql})
          SELECT page.*, ${PAGE_VERDICT_COLUMNS}
          FROM page LEFT JOIN review_verdicts v ON v.review_id = page.id LEFT JOIN users u ON u.id = v.user_id
          ORDER BY page.id DESC, v.id`,
    params: page.params,
  };
}

/**
 * The newest release of `path` in each env, with its content: the release's review
 * revision at the released hash (a review may return to an earlier head, hence LIMIT 1).
 * An env whose newest release was unpublished has no published version.
 */
export function publishedVersionsStatement(path: string): Statement {
  return {
    sql: `SELECT rel.env, rel.sha256,
            (SELECT rev.content FROM review_revisions rev
              WHERE rev.review_id = rel.review_id AND rev.head_hash = rel.sha256
              ORDER BY rev.number DESC LIMIT 1) AS content
          FROM releases rel
          WHERE rel.path = ? AND rel.id IN (SELECT max(id) FROM releases WHERE path = ? GROUP BY env)
            AND NOT EXISTS (SELECT 1 FROM unpublishes u WHERE u.release_id = rel.id)
          ORDER BY rel.env`,
    params: [path, path],
  };
}

/**
 * Every path and env whose newest release publishes `name`: an older release of a path
 * that has since been published under another name no longer holds the name, nor does
 * an unpublished one.
 */
export function publishedUnderNameStatement(name: string): Statement {
  return {
    sql: `SELECT rel.path, rel.env FROM releases rel
          WHERE rel.name = ? AND NOT EXISTS (
            SELECT 1 FROM releases newer WHERE newer.path = rel.path AND newer.env = rel.env AND newer.id > rel.id)
            AND NOT EXISTS (SELECT 1 FROM unpublishes u WHERE u.release_id = rel.id)
          ORDER BY rel.env, rel.path`,
    params: [name],
  };
}

export function listReleasesStatement(filter: ReleaseFilter): Statement {
  const where = new Where();
  where.add('path = ?', filter.path);
  where.add('env = ?', filter.env);
  where.add('lower(workspace) = lower(?)', filter.workspace);
  where.add('review_id = ?', filter.reviewId === undefined ? undefined : Number(filter.reviewId));
  where.notIn('workspace', filter.hiddenWorkspaces);
  where.add('id < ?', filter.beforeId);
  return {
    sql: `SELECT * FROM releases ${where.toString()} ORDER BY id DESC LIMIT ?`,
    params: [...where.params, filter.limit],
  };
}

/** `action` may end in `.*` to match a family (`review.*`). */
export function listAuditStatement(filter: AuditFilter): Statement {
  const where = new Where();
  where.add('lower(actor) = lower(?)', filter.actor);
  where.add('outcome = ?', filter.outcome);
  if (filter.action?.endsWith('.*')) where.add('action LIKE ?', `${filter.action.slice(0, -1)}%`);
  else where.add('action = ?', filter.action);
  where.add('at >= ?', filter.since);
  where.add('at < ?', filter.until);
  where.add('id < ?', filter.beforeId);
  return {
    sql: `SELECT * FROM audit_log ${where.toString()} ORDER BY id DESC LIMIT ?`,
    params: [...where.params, filter.limit],
  };
}

/** The newest release of a path in an env, and its unpublish record (JSON) if it was unpublished. */
export function latestReleaseStatement(path: string, env: string): Statement {
  return {
    sql: `SELECT rel.*, u.record AS unpublish_record FROM releases rel
          LEFT JOIN unpublishes u ON u.release_id = rel.id
          WHERE rel.path = ? AND rel.env = ? ORDER BY rel.id DESC LIMIT 1`,
    params: [path, env],
  };
}

/** A retired release no longer holds its name (releases_name_env_key): another path may publish it. */
export function releaseNameFreedStatement(releaseId: string): Statement {
  return { sql: 'UPDATE releases SET holds_name = NULL WHERE id = ?', params: [Number(releaseId)] };
}

/** Nothing when the release was unpublished already (the unique index on release_id). */
export function insertUnpublishStatement(releaseId: string, record: SignedUnpublish, now: number): Statement {
  return {
    sql: `INSERT INTO unpublishes (release_id, path, env, record, unpublished_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT DO NOTHING`,
    params: [Number(releaseId), record.path, record.env, JSON.stringify(record), record.unpublishedBy, now],
  };
}
