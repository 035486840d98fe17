import {
  API_KEY_COLUMNS,
  toApiKey,
  type ApiKeyListing,
  type ApiKeyRecord,
  type ApiKeyRow,
  type FoundApiKey,
} from '../apiKeyRecords';
import { Pool, types, type PoolConfig } from 'pg';
import type { BuiltinRole } from '../../../core/policy/actions';
import { assertOrdered, type Migration } from '../migration';
import type { SigningKeyRecord } from '../records';
import type { Store } from '../store';
import { SqlAccountStore } from '../sqlAccountStore';
import { PostgresPlanRunner, rethrowPostgresConflict } from './postgresPlanRunner';
import { POSTGRES_MIGRATIONS } from './postgresMigrations';
import { withTransaction } from './postgresTransaction';
import { PostgresWorkflowTables } from './postgresWorkflowTables';
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

const INT8_OID = 20;

const SIGNING_KEY_COLUMNS = 'fingerprint, user_id, public_key, comment, created_at';
interface SigningKeyRow {
  fingerprint: string;
  user_id: string;
  public_key: string;
  comment: string;
  created_at: number;
}
function toSigningKey(row: SigningKeyRow): SigningKeyRecord {
  return {
    fingerprint: row.fingerprint,
    userId: row.user_id,
    publicKey: row.public_key,
    comment: row.comment,
    createdAt: row.created_at,
  };
}

/** The creator's columns beside a key's (the key's own names come first). */
interface ApiKeyCreatorRow {
  username: string;
  role: BuiltinRole;
  emails: string[];
  user_created_at: number;
  user_updated_at: number;
}

/** A schema name we can safely splice into SQL and the connection's search_path. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresStoreOptions {
  connectionString: string;
  /** All tables live in this schema (created if missing); tests use a fresh one each run. */
  schema?: string;
  poolSize?: number;
}

/**
 * The shared store for several server processes: a pooled PostgreSQL connection. Every
 * connection's search_path is the configured schema. Invariants that span rows (the last
 * admin, the first-start admin, migrations) take a transaction-scoped advisory lock, so
 * they hold across processes.
 */
export class PostgresStore extends SqlAccountStore implements Store {
  readonly dialect = 'postgres' as const;
  private readonly workflow: PostgresWorkflowTables;

  private constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {
    super(new PostgresPlanRunner(pool));
    this.workflow = new PostgresWorkflowTables(pool);
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${schema}`);
    const config: PoolConfig = {
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      options: `-c search_path=${schema}`,
      // Times are BIGINT epoch ms; they fit a JS number, so parse them as numbers.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID
            ? (value: string) => Number(value)
            : (types.getTypeParser(oid, format) as (value: string) => unknown)) as typeof types.getTypeParser,
      },
    };
    const pool = new Pool(config);
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    try {
      await migrate(pool, schema, POSTGRES_MIGRATIONS);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresStore(pool, schema);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async addSigningKey(key: SigningKeyRecord): Promise<SigningKeyRecord> {
    try {
      await this.pool.query(
        'INSERT INTO signing_keys (fingerprint, user_id, public_key, comment, created_at) VALUES ($1, $2, $3, $4, $5)',
        [key.fingerprint, key.userId, key.publicKey, key.comment, key.createdAt],
      );
    } catch (err) {
      rethrowPostgresConflict(err);
    }
    return key;
  }

  async listSigningKeys(userId?: string): Promise<SigningKeyRecord[]> {
    const { rows } = await this.pool.query<SigningKeyRow>(
      `SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys WHERE $1::text IS NULL OR user_id = $1 ORDER BY created_at, fingerprint`,
      [userId ?? null],
    );
    return rows.map(toSigningKey);
  }

  async removeSigningKey(userId: string, fingerprint: string): Promise<SigningKeyRecord | undefined> {
    const { rows } = await this.pool.query<SigningKeyRow>(
      `DELETE FROM signing_keys WHERE user_id = $1 AND fingerprint = $2 RETURNING ${SIGNING_KEY_COLUMNS}`,
      [userId, fingerprint],
    );
    return rows[0] && toSigningKey(rows[0]);
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO api_keys (id, name, secret_hash, user_id, scope, created_at, expires_at, last_used_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        key.id,
        key.name,
        key.secretHash,
        key.userId,
        JSON.stringify(key.scope),
        key.createdAt,
        key.expiresAt,
        key.lastUsedAt,
      ],
    );
  }

  async findApiKey(id: string): Promise<FoundApiKey | undefined> {
    const { rows } = await this.pool.query<ApiKeyRow & ApiKeyCreatorRow>(
      `SELECT ${API_KEY_COLUMNS}, u.username, u.role, u.emails, u.created_at AS user_created_at, u.updated_at AS user_updated_at
       FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      key: toApiKey(row),
      user: {
        id: row.user_id,
        username: row.username,
        role: row.role,
        emails: row.emails,
        createdAt: row.user_created_at,
        updatedAt: row.user_updated_at,
      },
    };
  }

  async listApiKeys(userId?: string): Promise<ApiKeyListing[]> {
    const { rows } = await this.pool.query<ApiKeyRow & { username: string }>(
      `SELECT ${API_KEY_COLUMNS}, u.username FROM api_keys k JOIN users u ON u.id = k.user_id
       WHERE $1::text IS NULL OR k.user_id = $1 ORDER BY k.created_at, k.id`,
      [userId ?? null],
    );
    return rows.map((row) => ({ ...toApiKey(row), createdBy: row.username }));
  }

  async deleteApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.pool.query<ApiKeyRow>(
      `DELETE FROM api_keys k WHERE k.id = $1 RETURNING ${API_KEY_COLUMNS}`,
      [id],
    );
    return rows[0] && toApiKey(rows[0]);
  }

  async touchApiKey(id: string, now: number): Promise<void> {
    await this.pool.query('UPDATE api_keys SET last_used_at = $1 WHERE id = $2', [now, id]);
  }

  currentPolicy(): Promise<PolicyVersionRecord | undefined> {
    return this.workflow.currentPolicy();
  }

  applyPolicy(
    next: NewPolicyVersion,
    audit: (version: number, created: string[], claimed: ClaimedPolicyReview | undefined) => NewAuditEntry,
  ): Promise<PolicyVersionRecord> {
    return this.workflow.applyPolicy(next, audit);
  }

  createReview(review: NewReview, audit: (id: string) => NewAuditEntry): Promise<string> {
    return this.workflow.createReview(review, audit);
  }

  getReviewState(id: string): Promise<ReviewState | undefined> {
    return this.workflow.getReviewState(id);
  }

  listReviews(filter: ReviewFilter): Promise<ReviewRecord[]> {
    return this.workflow.listReviews(filter);
  }

  listReviewsWithVerdicts(filter: ReviewFilter): Promise<ReviewVerdicts[]> {
    return this.workflow.listReviewsWithVerdicts(filter);
  }

  changeReview<R>(id: string, now: number, decide: (state: ReviewState) => ReviewChange<R>): Promise<R | undefined> {
    return this.workflow.changeReview(id, now, decide);
  }

  listReleases(filter: ReleaseFilter): Promise<ReleaseRow[]> {
    return this.workflow.listReleases(filter);
  }

  publishedVersions(path: string): Promise<PublishedVersion[]> {
    return this.workflow.publishedVersions(path);
  }

  publishedUnderName(name: string): Promise<PublishedName[]> {
    return this.workflow.publishedUnderName(name);
  }

  unpublishRelease<Refusal>(
    path: string,
    env: string,
    decide: UnpublishDecision<Refusal>,
  ): Promise<UnpublishOutcome<Refusal>> {
    return this.workflow.unpublishRelease(path, env, decide);
  }

  appendAudit(entry: NewAuditEntry): Promise<void> {
    return this.workflow.appendAudit(entry);
  }

  checkpointAudit(
    sign: (tail: { entryId: string; hash: string }) => AuditCheckpointRecord,
  ): Promise<AuditCheckpointRecord | undefined> {
    return this.workflow.checkpointAudit(sign);
  }

  listAuditCheckpoints(): Promise<AuditCheckpointRecord[]> {
    return this.workflow.listAuditCheckpoints();
  }

  listAudit(filter: AuditFilter): Promise<AuditRecord[]> {
    return this.workflow.listAudit(filter);
  }
}

/**
 * Applies missing migrations in one transaction holding an advisory lock, so processes
 * starting together apply each migration exactly once (PostgreSQL DDL is transactional).
 */
async function migrate(pool: Pool, schema: string, migrations: readonly Migration[]): Promise<void> {
  assertOrdered(migrations);
  await withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`promptops.migrate.${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        Date.now(),
      ]);
    }
  });
}
