import Database from 'better-sqlite3';
import { assertOrdered, type Migration } from '../migration';
import type { Store } from '../store';
import { SqlAccountStore } from '../sqlAccountStore';
import { SqlitePlanRunner } from './sqlitePlanRunner';
import { SQLITE_MIGRATIONS } from './sqliteMigrations';
import { SqliteWorkflowTables } from './sqliteWorkflowTables';
import type { AuditCheckpointRecord, AuditFilter, AuditRecord, NewAuditEntry } from '../auditRecords';
import type { ClaimedPolicyReview, NewPolicyVersion, PolicyVersionRecord } from '../policyRecords';
import type {
  NewReview,
  PublishedName,
  UnpublishDecision,
  UnpublishOutcome,
  PublishedVersion,
  ReleaseFilter,
  ReleaseRow,
  ReviewChange,
  ReviewFilter,
  ReviewRecord,
  ReviewState,
  ReviewVerdicts,
} from '../reviewRecords';

export interface SqliteStoreOptions {
  /** Path of the database file (created if missing). */
  file: string;
  /** How long to wait for another process's write lock, ms. */
  busyTimeoutMs?: number;
}

/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a write
 * is on disk before the request that made it is answered. better-sqlite3 is synchronous,
 * so each method runs to completion (one transaction where it matters) without
 * interleaving with other requests; BEGIN IMMEDIATE serialises writers across processes.
 */
export class SqliteStore extends SqlAccountStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly workflow: SqliteWorkflowTables;

  private constructor(
    private readonly db: Database.Database,
    private readonly sqlite: SqlitePlanRunner,
  ) {
    super(sqlite);
    this.workflow = new SqliteWorkflowTables(db, (sql) => sqlite.stmt(sql));
  }

  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const db = new Database(options.file, { timeout: options.busyTimeoutMs ?? 5000 });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db, SQLITE_MIGRATIONS);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteStore(db, new SqlitePlanRunner(db));
  }

  async ping(): Promise<void> {
    this.sqlite.stmt('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async currentPolicy(): Promise<PolicyVersionRecord | undefined> {
    return this.workflow.currentPolicy();
  }

  async applyPolicy(
    next: NewPolicyVersion,
    audit: (version: number, created: string[], claimed: ClaimedPolicyReview | undefined) => NewAuditEntry,
  ): Promise<PolicyVersionRecord> {
    return this.workflow.applyPolicy(next, audit);
  }

  async createReview(review: NewReview, audit: (id: string) => NewAuditEntry): Promise<string> {
    return this.workflow.createReview(review, audit);
  }

  async getReviewState(id: string): Promise<ReviewState | undefined> {
    return this.workflow.getReviewState(id);
  }

  async listReviews(filter: ReviewFilter): Promise<ReviewRecord[]> {
    return this.workflow.listReviews(filter);
  }

  async listReviewsWithVerdicts(filter: ReviewFilter): Promise<ReviewVerdicts[]> {
    return this.workflow.listReviewsWithVerdicts(filter);
  }

  async changeReview<R>(
    id: string,
    now: number,
    decide: (state: ReviewState) => ReviewChange<R>,
  ): Promise<R | undefined> {
    return this.workflow.changeReview(id, now, decide);
  }

  async listReleases(filter: ReleaseFilter): Promise<ReleaseRow[]> {
    return this.workflow.listReleases(filter);
  }

  async publishedVersions(path: string): Promise<PublishedVersion[]> {
    return this.workflow.publishedVersions(path);
  }

  async publishedUnderName(name: string): Promise<PublishedName[]> {
    return this.workflow.publishedUnderName(name);
  }

  async unpublishRelease<Refusal>(
    path: string,
    env: string,
    decide: UnpublishDecision<Refusal>,
  ): Promise<UnpublishOutcome<Refusal>> {
    return this.workflow.unpublishRelease(path, env, decide);
  }

  async appendAudit(entry: NewAuditEntry): Promise<void> {
    this.workflow.appendAudit(entry);
  }

  async checkpointAudit(
    sign: (tail: { entryId: string; hash: string }) => AuditCheckpointRecord,
  ): Promise<AuditCheckpointRecord | undefined> {
    return this.workflow.checkpointAudit(sign);
  }

  async listAuditCheckpoints(): Promise<AuditCheckpointRecord[]> {
    return this.workflow.listAuditCheckpoints();
  }

  async listAudit(filter: AuditFilter): Promise<AuditRecord[]> {
    return this.workflow.listAudit(filter);
  }
}

/**
 * Applies missing migrations under BEGIN IMMEDIATE: the write lock makes a second
 * process wait (busy timeout) and then find nothing left to do.
 */
function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  assertOrdered(migrations);
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
    const applied = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
    );
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      );
    }
  }).immediate();
}
