import type { WorkflowTables } from '../workflowTables';
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { AuditCheckpointRecord, AuditFilter, AuditRecord, NewAuditEntry } from '../auditRecords';
import type { ClaimedPolicyReview, NewPolicyVersion, PolicyReviewClaim, PolicyVersionRecord } from '../policyRecords';
import type {
  NewReview,
  PublishedName,
  PublishedVersion,
  ReleaseFilter,
  ReleaseRow,
  ReviewChange,
  ReviewFilter,
  ReviewRecord,
  ReviewState,
  ReviewVerdicts,
  UnpublishDecision,
  UnpublishOutcome,
} from '../reviewRecords';
import type { SignedUnpublish } from '../../../core/release/unpublishRecord';
import {
  insertAuditStatement,
  insertCheckpointStatement,
  AUDIT_LOCK_SQL,
  AUDIT_TAIL_SQL,
  AUDIT_TAIL_ENTRY_SQL,
  LAST_CHECKPOINT_SQL,
  LIST_CHECKPOINTS_SQL,
  insertFirstRevisionStatement,
  insertReviewStatement,
  listAuditStatement,
  listReleasesStatement,
  latestReleaseStatement,
  insertUnpublishStatement,
  releaseNameFreedStatement,
  publishedUnderNameStatement,
  publishedVersionsStatement,
  listReviewsStatement,
  listReviewsWithVerdictsStatement,
  numberedPlaceholders,
  REVIEW_STATE_SQL,
  reviewWriteStatements,
  type Statement,
} from '../workflowSql';
import {
  toAudit,
  toCheckpoint,
  type CheckpointRow,
  toComment,
  toEvaluationRun,
  type EvaluationRunRow,
  toEvaluationSlot,
  type EvaluationSlotRow,
  toPolicy,
  toPublishedVersion,
  toRelease,
  toReview,
  toRevision,
  toVerdict,
  type AuditRow,
  type CommentRow,
  type PolicyRow,
  type PublishedVersionRow,
  type ReleaseDbRow,
  type ReviewRow,
  type RevisionRow,
  type VerdictRow,
  type ReviewPageRow,
  pageWithVerdicts,
} from '../workflowRows';
import { withTransaction } from './postgresTransaction';
import { rethrowPostgresConflict } from './postgresPlanRunner';

type Queryable = Pick<PoolClient, 'query'>;

async function run<T>(db: Queryable, statement: Statement): Promise<{ rows: T[]; rowCount: number }> {
  const result = await db.query(numberedPlaceholders(statement.sql), statement.params);
  return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
}

async function writeReviewChange<R>(
  client: PoolClient,
  reviewId: number,
  state: ReviewState,
  change: Extract<ReviewChange<R>, { kind: 'apply' }>,
  now: number,
): Promise<void> {
  for (const write of change.writes) {
    for (const s of reviewWriteStatements(reviewId, state.review.revision, state.review.headHash, write, now))
      await run(client, s);
  }
  if (change.audit) await chainAudit(client, { ...change.audit, at: now });
}

/** Inside applyPolicy's transaction (each review row locked FOR UPDATE): see PolicyReviewClaim. */
async function claimPolicyReview(client: PoolClient, claim: PolicyReviewClaim): Promise<ClaimedPolicyReview> {
  let refusal: Error | undefined;
  for (const id of claim.reviewIds) {
    const reviewId = Number(id);
    const state = await readState(client, reviewId, true);
    if (!state) continue;
    const change = claim.decide(state);
    if (change.kind === 'refuse') {
      refusal = change.error;
      continue;
    }
    await writeReviewChange(client, reviewId, state, change, claim.now);
    return { reviewId: id, approvals: change.result((await readState(client, reviewId, false))!) };
  }
  throw refusal ?? new Error('no policy review to claim');
}

/**
 * Access-file versions, reviews, releases and the audit log on PostgreSQL. A review
 * action locks the review's row (SELECT … FOR UPDATE) for the whole read-decide-write,
 * so actions on one review from any number of processes run one after another.
 */
export class PostgresWorkflowTables implements WorkflowTables {
  constructor(private readonly pool: Pool) {}

  async currentPolicy(): Promise<PolicyVersionRecord | undefined> {
    const { rows } = await this.pool.query<PolicyRow>('SELECT * FROM access_policies ORDER BY version DESC LIMIT 1');
    return rows[0] && toPolicy(rows[0]);
  }

  async applyPolicy(
    next: NewPolicyVersion,
    audit: (version: number, created: string[], claimed: ClaimedPolicyReview | undefined) => NewAuditEntry,
  ): Promise<PolicyVersionRecord> {
    return withTransaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.promptops.policy'))");
      const { rows } = await client.query<{ v: number }>(
        'SELECT coalesce(max(version), 0)::int + 1 AS v FROM access_policies',
      );
      const v = rows[0].v;
      if (v - 1 !== next.basedOn.version) throw next.basedOn.changed();
      const claimed = next.review && (await claimPolicyReview(client, next.review));
      const signedRecord = next.seal(v, claimed);
      await client.query(
        'INSERT INTO access_policies (version, content, sha256, applied_by, applied_at, git_commit, signed_record) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [v, next.content, next.sha256, next.appliedBy, next.now, next.commit, signedRecord],
      );
      const created: string[] = [];
      for (const name of next.workspaces) {
        // A deleted workspace's tombstone keeps it deleted: only an admin's re-create lifts it.
        const inserted = await client.query(
          `INSERT INTO workspaces (id, name, created_by, created_at)
           SELECT $1, $2::text, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM deleted_workspaces WHERE name_key = lower($2))
           ON CONFLICT DO NOTHING`,
          [randomUUID(), name, next.appliedBy, next.now],
        );
        if ((inserted.rowCount ?? 0) > 0) created.push(name);
      }
      await chainAudit(client, audit(v, created, claimed));
      return {
        version: v,
        content: next.content,
        sha256: next.sha256,
        appliedBy: next.appliedBy,
        appliedAt: next.now,
        commit: next.commit,
        signedRecord,
      };
    });
  }

  async createReview(review: NewReview, audit: (id: string) => NewAuditEntry): Promise<string> {
    return withTransaction(this.pool, async (client) => {
      const { rows } = await run<{ id: number }>(client, insertReviewStatement(review));
      const id = rows[0].id;
      await run(client, insertFirstRevisionStatement(id, review));
      await chainAudit(client, audit(String(id)));
      return String(id);
    });
  }

  async getReviewState(id: string): Promise<ReviewState | undefined> {
    // REPEATABLE READ: one snapshot, so the parts agree with each other.
    return withTransaction(this.pool, async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return readState(client, Number(id), false);
    });
  }

  async listReviews(filter: ReviewFilter): Promise<ReviewRecord[]> {
    return (await run<ReviewRow>(this.pool, listReviewsStatement(filter))).rows.map(toReview);
  }

  async listReviewsWithVerdicts(filter: ReviewFilter): Promise<ReviewVerdicts[]> {
    // One statement: one snapshot, so the verdicts belong to the reviews as listed, and one round trip.
    return pageWithVerdicts((await run<ReviewPageRow>(this.pool, listReviewsWithVerdictsStatement(filter))).rows);
  }

  async changeReview<R>(
    id: string,
    now: number,
    decide: (state: ReviewState) => ReviewChange<R>,
  ): Promise<R | undefined> {
    const reviewId = Number(id);
    // A release whose name another path holds (releases_name_env_key) becomes a ConflictError.
    return withTransaction(this.pool, async (client) => {
      const state = await readState(client, reviewId, true);
      if (!state) return undefined;
      const change = decide(state);
      if (change.kind === 'refuse') throw change.error;
      await writeReviewChange(client, reviewId, state, change, now);
      return change.result((await readState(client, reviewId, false))!);
    }).catch(rethrowPostgresConflict);
  }

  async listReleases(filter: ReleaseFilter): Promise<ReleaseRow[]> {
    return (await run<ReleaseDbRow>(this.pool, listReleasesStatement(filter))).rows.map(toRelease);
  }

  async publishedVersions(path: string): Promise<PublishedVersion[]> {
    return (await run<PublishedVersionRow>(this.pool, publishedVersionsStatement(path))).rows.map(toPublishedVersion);
  }

  async publishedUnderName(name: string): Promise<PublishedName[]> {
    return (await run<PublishedName>(this.pool, publishedUnderNameStatement(name))).rows.map(({ path, env }) => ({
      path,
      env,
    }));
  }

  async unpublishRelease<Refusal>(
    path: string,
    env: string,
    decide: UnpublishDecision<Refusal>,
  ): Promise<UnpublishOutcome<Refusal>> {
    return withTransaction(this.pool, async (client): Promise<UnpublishOutcome<Refusal>> => {
      const latest = latestReleaseStatement(path, env);
      // FOR UPDATE OF rel: a concurrent unpublish of the same release waits, then sees the record.
      const rows = (
        await run<ReleaseDbRow & { unpublish_record: string | null }>(client, {
          sql: `${latest.sql} FOR UPDATE OF rel`,
          params: latest.params,
        })
      ).rows;
      const row = rows[0];
      if (!row) return { kind: 'not_published' };
      if (row.unpublish_record) return { kind: 'already', record: JSON.parse(row.unpublish_record) as SignedUnpublish };
      const release = toRelease(row);
      const decided = decide(release);
      if (decided.kind === 'refuse') return { kind: 'refused', refusal: decided.refusal };
      const { record, audit } = decided;
      const inserted = await run(client, insertUnpublishStatement(release.id, record, audit.at));
      if (inserted.rowCount === 0) {
        const again = (await run<{ unpublish_record: string | null }>(client, latest)).rows[0];
        if (again?.unpublish_record)
          return { kind: 'already', record: JSON.parse(again.unpublish_record) as SignedUnpublish };
      }
      await run(client, releaseNameFreedStatement(release.id));
      await chainAudit(client, audit);
      return { kind: 'unpublished', record };
    });
  }

  async appendAudit(entry: NewAuditEntry): Promise<void> {
    await withTransaction(this.pool, (client) => chainAudit(client, entry));
  }

  async checkpointAudit(
    sign: (tail: { entryId: string; hash: string }) => AuditCheckpointRecord,
  ): Promise<AuditCheckpointRecord | undefined> {
    return withTransaction(this.pool, async (client) => {
      await client.query(AUDIT_LOCK_SQL);
      const tail = (await client.query<{ id: number | string; hash: string }>(AUDIT_TAIL_ENTRY_SQL)).rows[0];
      if (!tail) return undefined;
      const last = (await client.query<CheckpointRow>(LAST_CHECKPOINT_SQL)).rows[0];
      if (last && String(last.entry_id) === String(tail.id)) return undefined;
      const checkpoint = sign({ entryId: String(tail.id), hash: tail.hash });
      await run(client, insertCheckpointStatement(checkpoint));
      return checkpoint;
    });
  }

  async listAuditCheckpoints(): Promise<AuditCheckpointRecord[]> {
    return (await this.pool.query<CheckpointRow>(LIST_CHECKPOINTS_SQL)).rows.map(toCheckpoint);
  }

  async listAudit(filter: AuditFilter): Promise<AuditRecord[]> {
    return (await run<AuditRow>(this.pool, listAuditStatement(filter))).rows.map(toAudit);
  }
}

/**
 * Appends `entry` to the chain inside the caller's transaction: the advisory lock (held
 * to commit) makes appends from every process run one after another on one tail.
 */
async function chainAudit(client: PoolClient, entry: NewAuditEntry): Promise<void> {
  await client.query(AUDIT_LOCK_SQL);
  const tail = (await client.query<{ hash: string }>(AUDIT_TAIL_SQL)).rows[0];
  await run(client, insertAuditStatement(entry, tail?.hash ?? null));
}

/** The review row first (locked when `forUpdate`), then its parts. */
async function readState(client: PoolClient, reviewId: number, forUpdate: boolean): Promise<ReviewState | undefined> {
  if (!Number.isSafeInteger(reviewId)) return undefined;
  const lock = forUpdate ? ' FOR UPDATE' : '';
  const review = (await run<ReviewRow>(client, { sql: REVIEW_STATE_SQL.review + lock, params: [reviewId] })).rows[0];
  if (!review) return undefined;
  const [revisions, verdicts, comments, release, evaluations, evaluationSlots] = [
    await run<RevisionRow>(client, { sql: REVIEW_STATE_SQL.revisions, params: [reviewId] }),
    await run<VerdictRow>(client, { sql: REVIEW_STATE_SQL.verdicts, params: [reviewId] }),
    await run<CommentRow>(client, { sql: REVIEW_STATE_SQL.comments, params: [reviewId] }),
    await run<ReleaseDbRow>(client, { sql: REVIEW_STATE_SQL.release, params: [reviewId] }),
    await run<EvaluationRunRow>(client, { sql: REVIEW_STATE_SQL.evaluations, params: [reviewId] }),
    await run<EvaluationSlotRow>(client, { sql: REVIEW_STATE_SQL.evaluationSlots, params: [reviewId] }),
  ];
  return {
    review: toReview(review),
    revisions: revisions.rows.map(toRevision),
    verdicts: verdicts.rows.map(toVerdict),
    comments: comments.rows.map(toComment),
    evaluations: evaluations.rows.map(toEvaluationRun),
    evaluationSlots: evaluationSlots.rows.map(toEvaluationSlot),
    release: release.rows[0] && toRelease(release.rows[0]),
  };
}
