import {
  API_KEY_COLUMNS,
  toApiKey,
  type ApiKeyListing,
  type ApiKeyRecord,
  type ApiKeyRow,
  type FoundApiKey,
} from '../apiKeyRecords';
import Database from 'better-sqlite3';
import type { BuiltinRole } from '../../../core/policy/actions';
import { assertOrdered, type Migration } from '../migration';
import type { SigningKeyRecord } from '../records';
import type { Store } from '../store';
import { SqlAccountStore } from '../sqlAccountStore';
import { toEmails } from '../accountRows';
import { SqlitePlanRunner, rethrowSqliteConflict } from './sqlitePlanRunner';
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

const SIGNING_KEY_COLUMNS = 'fingerprint, user_id AS userId, public_key AS publicKey, comment, created_at AS createdAt';

/** The creator's columns beside a key's (the key's own names come first). */
interface ApiKeyCreatorRow {
  username: string;
  role: BuiltinRole;
  emails: string;
  user_created_at: number;
  user_updated_at: number;
}

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

  async addSigningKey(key: SigningKeyRecord): Promise<SigningKeyRecord> {
    try {
      this.sqlite
        .stmt('INSERT INTO signing_keys (fingerprint, user_id, public_key, comment, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(key.fingerprint, key.userId, key.publicKey, key.comment, key.createdAt);
    } catch (err) {
      rethrowSqliteConflict(err);
    }
    return key;
  }

  async listSigningKeys(userId?: string): Promise<SigningKeyRecord[]> {
    const rows = (
      userId === undefined
        ? this.sqlite.stmt(`SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys ORDER BY created_at, fingerprint`).all()
        : this.sqlite
            .stmt(`SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys WHERE user_id = ? ORDER BY created_at, fingerprint`)
            .all(userId)
    ) as SigningKeyRecord[];
    return rows;
  }

  async removeSigningKey(userId: string, fingerprint: string): Promise<SigningKeyRecord | undefined> {
    return this.sqlite
      .stmt(`DELETE FROM signing_keys WHERE user_id = ? AND fingerprint = ? RETURNING ${SIGNING_KEY_COLUMNS}`)
      .get(userId, fingerprint) as SigningKeyRecord | undefined;
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    this.sqlite
      .stmt(
        `INSERT INTO api_keys (id, name, secret_hash, user_id, scope, created_at, expires_at, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        key.id,
        key.name,
        key.secretHash,
        key.userId,
        JSON.stringify(key.scope),
        key.createdAt,
        key.expiresAt,
        key.lastUsedAt,
      );
  }

  async findApiKey(id: string): Promise<FoundApiKey | undefined> {
    const row = this.sqlite
      .stmt(
        `SELECT ${API_KEY_COLUMNS}, u.username, u.role, u.emails, u.created_at AS user_created_at, u.updated_at AS user_updated_at
       FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ?`,
      )
      .get(id) as (ApiKeyRow & ApiKeyCreatorRow) | undefined;
    if (!row) return undefined;
    return {
      key: toApiKey(row),
      user: {
        id: row.user_id,
        username: row.username,
        role: row.role,
        emails: toEmails(row.emails),
        createdAt: row.user_created_at,
        updatedAt: row.user_updated_at,
      },
    };
  }

  async listApiKeys(userId?: string): Promise<ApiKeyListing[]> {
    const sql = `SELECT ${API_KEY_COLUMNS}, u.username FROM api_keys k JOIN users u ON u.id = k.user_id
      ${userId === undefined ? '' : 'WHERE k.user_id = ?'} ORDER BY k.created_at, k.id`;
    const rows = (
      userId === undefined ? this.sqlite.stmt(sql).all() : this.sqlite.stmt(sql).all(userId)
    ) as (ApiKeyRow & {
      username: string;
    })[];
    return rows.map((row) => ({ ...toApiKey(row), createdBy: row.username }));
  }

  async deleteApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const row = this.sqlite
      .stmt(`DELETE FROM api_keys AS k WHERE k.id = ? RETURNING ${API_KEY_COLUMNS.replaceAll('k.', '')}`)
      .get(id) as ApiKeyRow | undefined;
    return row && toApiKey(row);
  }

  async touchApiKey(id: string, now: number): Promise<void> {
    this.sqlite.stmt('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, id);
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
