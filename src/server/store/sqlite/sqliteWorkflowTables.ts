import type { WorkflowTables } from '../workflowTables';
import { rethrowSqliteConflict } from './sqlitePlanRunner';
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
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
  verdictsOfReviewsStatement,
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
  type ReviewVerdictRow,
  withVerdicts,
} from '../workflowRows';

/**
 * Access-file versions, reviews, releases and the audit log on SQLite. better-sqlite3 is
 * synchronous, so a `changeReview` reads, decides and writes inside one BEGIN IMMEDIATE
 * transaction without yielding: no other request (or process) can act in between.
 */
export class SqliteWorkflowTables implements WorkflowTables {
  constructor(
    private readonly db: Database.Database,
    private readonly stmt: (sql: string) => Database.Statement,
  ) {}

  currentPolicy(): PolicyVersionRecord | undefined {
    const row = this.stmt('SELECT * FROM access_policies ORDER BY version DESC LIMIT 1').get() as PolicyRow | undefined;
    return row && toPolicy(row);
  }

  applyPolicy(
    next: NewPolicyVersion,
    audit: (version: number, created: string[], claimed: ClaimedPolicyReview | undefined) => NewAuditEntry,
  ): PolicyVersionRecord {
    return this.db
      .transaction((): PolicyVersionRecord => {
        const { v } = this.stmt('SELECT coalesce(max(version), 0) + 1 AS v FROM access_policies').get() as {
          v: number;
        };
        if (v - 1 !== next.basedOn.version) throw next.basedOn.changed();
        const claimed = next.review && this.claimPolicyReview(next.review);
        const signedRecord = next.seal(v, claimed);
        this.stmt(
          'INSERT INTO access_policies (version, content, sha256, applied_by, applied_at, git_commit, signed_record) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(v, next.content, next.sha256, next.appliedBy, next.now, next.commit, signedRecord);
        const created: string[] = [];
        // A deleted workspace's tombstone keeps it deleted: only an admin's re-create lifts it.
        const insert = this.stmt(
          `INSERT INTO workspaces (id, name, created_by, created_at)
           SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM deleted_workspaces WHERE name_key = lower(?))
           ON CONFLICT DO NOTHING`,
        );
        for (const name of next.workspaces) {
          if (insert.run(randomUUID(), name, next.appliedBy, next.now, name).changes > 0) created.push(name);
        }
        this.chain(audit(v, created, claimed));
        return {
          version: v,
          content: next.content,
          sha256: next.sha256,
          appliedBy: next.appliedBy,
          appliedAt: next.now,
          commit: next.commit,
          signedRecord,
        };
      })
      .immediate();
  }

  /** Inside applyPolicy's transaction: see PolicyReviewClaim. */
  private claimPolicyReview(claim: PolicyReviewClaim): ClaimedPolicyReview {
    let refusal: Error | undefined;
    for (const id of claim.reviewIds) {
      const reviewId = Number(id);
      const state = this.readState(reviewId);
      if (!state) continue;
      const change = claim.decide(state);
      if (change.kind === 'refuse') {
        refusal = change.error;
        continue;
      }
      this.writeReviewChange(reviewId, state, change, claim.now);
      return { reviewId: id, approvals: change.result(this.readState(reviewId)!) };
    }
    throw refusal ?? new Error('no policy review to claim');
  }

  createReview(review: NewReview, audit: (id: string) => NewAuditEntry): string {
    return this.db
      .transaction((): string => {
        const insert = insertReviewStatement(review);
        const { id } = this.stmt(insert.sql).get(...insert.params) as { id: number };
        this.exec(insertFirstRevisionStatement(id, review));
        this.chain(audit(String(id)));
        return String(id);
      })
      .immediate();
  }

  getReviewState(id: string): ReviewState | undefined {
    // One read transaction, so the parts agree with each other.
    return this.db.transaction(() => this.readState(Number(id)))();
  }

  listReviews(filter: ReviewFilter): ReviewRecord[] {
    return (this.all(listReviewsStatement(filter)) as ReviewRow[]).map(toReview);
  }

  listReviewsWithVerdicts(filter: ReviewFilter): ReviewVerdicts[] {
    // One read transaction, so the verdicts belong to the reviews as listed. Two statements
    // cost less CPU here than PostgreSQL's one (no round trips in process; no repeated review columns).
    return this.db.transaction(() => {
      const reviews = this.all(listReviewsStatement(filter)) as ReviewRow[];
      if (reviews.length === 0) return [];
      const verdicts = this.all(verdictsOfReviewsStatement(reviews.map((r) => r.id))) as ReviewVerdictRow[];
      return withVerdicts(reviews, verdicts);
    })();
  }

  changeReview<R>(id: string, now: number, decide: (state: ReviewState) => ReviewChange<R>): R | undefined {
    const reviewId = Number(id);
    // A release whose name another path holds (releases_name_env_key) becomes a ConflictError.
    try {
      return this.db
        .transaction((): R | undefined => {
          const state = this.readState(reviewId);
          if (!state) return undefined;
          const change = decide(state);
          if (change.kind === 'refuse') throw change.error;
          this.writeReviewChange(reviewId, state, change, now);
          return change.result(this.readState(reviewId)!);
        })
        .immediate();
    } catch (err) {
      rethrowSqliteConflict(err);
    }
  }

  private writeReviewChange<R>(
    reviewId: number,
    state: ReviewState,
    change: Extract<ReviewChange<R>, { kind: 'apply' }>,
    now: number,
  ): void {
    for (const write of change.writes) {
      for (const s of reviewWriteStatements(reviewId, state.review.revision, state.review.headHash, write, now))
        this.exec(s);
    }
    if (change.audit) this.chain({ ...change.audit, at: now });
  }

  listReleases(filter: ReleaseFilter): ReleaseRow[] {
    return (this.all(listReleasesStatement(filter)) as ReleaseDbRow[]).map(toRelease);
  }

  publishedVersions(path: string): PublishedVersion[] {
    return (this.all(publishedVersionsStatement(path)) as PublishedVersionRow[]).map(toPublishedVersion);
  }

  publishedUnderName(name: string): PublishedName[] {
    return (this.all(publishedUnderNameStatement(name)) as PublishedName[]).map(({ path, env }) => ({ path, env }));
  }

  unpublishRelease<Refusal>(path: string, env: string, decide: UnpublishDecision<Refusal>): UnpublishOutcome<Refusal> {
    return this.db
      .transaction((): UnpublishOutcome<Refusal> => {
        const row = this.all(latestReleaseStatement(path, env))[0] as
          (ReleaseDbRow & { unpublish_record: string | null }) | undefined;
        if (!row) return { kind: 'not_published' };
        if (row.unpublish_record)
          return { kind: 'already', record: JSON.parse(row.unpublish_record) as SignedUnpublish };
        const release = toRelease(row);
        const decided = decide(release);
        if (decided.kind === 'refuse') return { kind: 'refused', refusal: decided.refusal };
        const { record, audit } = decided;
        this.exec(insertUnpublishStatement(release.id, record, audit.at));
        this.exec(releaseNameFreedStatement(release.id));
        this.chain(audit);
        return { kind: 'unpublished', record };
      })
      .immediate();
  }

  appendAudit(entry: NewAuditEntry): void {
    this.db.transaction(() => this.chain(entry)).immediate();
  }

  /** Appends `entry` to the chain; only inside an immediate transaction (the write lock serialises appends). */
  private chain(entry: NewAuditEntry): void {
    const tail = this.stmt(AUDIT_TAIL_SQL).get() as { hash: string } | undefined;
    this.exec(insertAuditStatement(entry, tail?.hash ?? null));
  }

  checkpointAudit(
    sign: (tail: { entryId: string; hash: string }) => AuditCheckpointRecord,
  ): AuditCheckpointRecord | undefined {
    return this.db
      .transaction((): AuditCheckpointRecord | undefined => {
        const tail = this.stmt(AUDIT_TAIL_ENTRY_SQL).get() as { id: number; hash: string } | undefined;
        if (!tail) return undefined;
        const last = this.stmt(LAST_CHECKPOINT_SQL).get() as CheckpointRow | undefined;
        if (last && Number(last.entry_id) === tail.id) return undefined;
        const checkpoint = sign({ entryId: String(tail.id), hash: tail.hash });
        this.exec(insertCheckpointStatement(checkpoint));
        return checkpoint;
      })
      .immediate();
  }

  listAuditCheckpoints(): AuditCheckpointRecord[] {
    return (this.stmt(LIST_CHECKPOINTS_SQL).all() as CheckpointRow[]).map(toCheckpoint);
  }

  listAudit(filter: AuditFilter): AuditRecord[] {
    return (this.all(listAuditStatement(filter)) as AuditRow[]).map(toAudit);
  }

  private readState(reviewId: number): ReviewState | undefined {
    if (!Number.isSafeInteger(reviewId)) return undefined;
    const review = this.stmt(REVIEW_STATE_SQL.review).get(reviewId) as ReviewRow | undefined;
    if (!review) return undefined;
    const release = this.stmt(REVIEW_STATE_SQL.release).get(reviewId) as ReleaseDbRow | undefined;
    return {
      review: toReview(review),
      revisions: (this.stmt(REVIEW_STATE_SQL.revisions).all(reviewId) as RevisionRow[]).map(toRevision),
      verdicts: (this.stmt(REVIEW_STATE_SQL.verdicts).all(reviewId) as VerdictRow[]).map(toVerdict),
      comments: (this.stmt(REVIEW_STATE_SQL.comments).all(reviewId) as CommentRow[]).map(toComment),
      evaluations: (this.stmt(REVIEW_STATE_SQL.evaluations).all(reviewId) as EvaluationRunRow[]).map(toEvaluationRun),
      evaluationSlots: (this.stmt(REVIEW_STATE_SQL.evaluationSlots).all(reviewId) as EvaluationSlotRow[]).map(
        toEvaluationSlot,
      ),
      release: release && toRelease(release),
    };
  }

  private exec(statement: Statement): void {
    this.stmt(statement.sql).run(...statement.params);
  }

  private all(statement: Statement): unknown[] {
    return this.stmt(statement.sql).all(...statement.params);
  }
}
