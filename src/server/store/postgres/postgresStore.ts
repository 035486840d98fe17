import {
  API_KEY_COLUMNS,
  toApiKey,
  type ApiKeyListing,
  type ApiKeyRecord,
  type ApiKeyRow,
  type FoundApiKey,
} from '../apiKeyRecords';
import { Pool, types, type PoolClient, type PoolConfig } from 'pg';
import type { BuiltinRole } from '../../../core/policy/actions';
import { assertOrdered, type Migration } from '../migration';
import type {
  LoginThrottleRecord,
  NewUser,
  DeletedWorkspaceRecord,
  NewWorkspace,
  SessionRecord,
  SessionUser,
  SigningKeyRecord,
  UserPatch,
  UserRecord,
  WorkspaceRecord,
} from '../records';
import type { AdminGuardedResult, Store } from '../store';
import { conflictForIndex } from '../uniqueConstraints';
import { POSTGRES_MIGRATIONS } from './postgresMigrations';
import { withTransaction } from './postgresTransaction';
import { INVITE_COLUMNS, toInvite, type InviteRecord, type InviteRow } from '../inviteRecords';
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

const INITIAL_ADMIN_MARKER = 'bootstrap.initial_admin_created';
const INT8_OID = 20;

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: BuiltinRole;
  default_password: boolean;
  created_at: number;
  updated_at: number;
  emails: string[];
}

interface WorkspaceRow {
  id: string;
  name: string;
  builtin: boolean;
  created_by: string | null;
  created_at: number;
}

interface ThrottleRow {
  key: string;
  failures: number;
  last_failure_at: number;
  blocked_until: number;
}

// Emails live on the user row as a JSON array (migration 3), so a user is one row.
const USER_COLUMNS =
  'u.id, u.username, u.password_hash, u.role, u.default_password, u.created_at, u.updated_at, u.emails';

/**
 * The per-request lookup, as one named (server-side prepared) statement: two rows by
 * primary key, only the columns a request needs (no password hash), rows as arrays.
 */
const FIND_SESSION = {
  name: 'promptops_find_session_v3',
  text: `SELECT s.created_at, s.last_used_at, s.expires_at, u.id, u.username, u.role, u.created_at, u.updated_at, u.emails
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`,
  rowMode: 'array',
} as const;
type FindSessionRow = [number, number, number, string, string, BuiltinRole, number, number, string[]];

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    role: row.role,
    emails: row.emails,
    defaultPassword: row.default_password,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toWorkspace(row: WorkspaceRow): WorkspaceRecord {
  return {
    id: row.id,
    name: row.name,
    builtin: row.builtin,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

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

function rethrowConflict(err: unknown): never {
  const pgError = err as { code?: string; constraint?: string };
  if (pgError.code === '23505') throw conflictForIndex(pgError.constraint) ?? err;
  throw err;
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
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  private readonly workflow: PostgresWorkflowTables;

  private constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {
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

  async countUsers(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    return rows[0].n;
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    await this.transaction((client) => insertUser(client, user)).catch(rethrowConflict);
    return this.mustGetUser(user.id);
  }

  async createInitialAdmin(user: NewUser): Promise<boolean> {
    return this.transaction(async (client) => {
      const marked = await client.query(
        'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
        [INITIAL_ADMIN_MARKER, new Date(user.now).toISOString()],
      );
      if (marked.rowCount === 0) return false;
      await insertUser(client, user);
      return true;
    });
  }

  async getUserById(id: string): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
    return rows[0] && toUser(rows[0]);
  }

  async getUserByUsername(username: string): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.username = $1`, [
      username,
    ]);
    return rows[0] && toUser(rows[0]);
  }

  async listUsers(): Promise<UserRecord[]> {
    const { rows } = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.username`);
    return rows.map(toUser);
  }

  async updateUser(id: string, patch: UserPatch, now: number): Promise<AdminGuardedResult<UserRecord>> {
    const result = await this.transaction(async (client): Promise<AdminGuardedResult<void>> => {
      await lockAdmins(client);
      const { rows } = await client.query<{ role: BuiltinRole }>('SELECT role FROM users WHERE id = $1', [id]);
      if (rows.length === 0) return { status: 'not_found' };
      if (
        rows[0].role === 'admin' &&
        patch.role !== undefined &&
        patch.role !== 'admin' &&
        (await adminCount(client)) <= 1
      ) {
        return { status: 'last_admin' };
      }
      if (patch.role !== undefined) await client.query('UPDATE users SET role = $1 WHERE id = $2', [patch.role, id]);
      if (patch.passwordHash !== undefined) {
        await client.query('UPDATE users SET password_hash = $1, default_password = FALSE WHERE id = $2', [
          patch.passwordHash,
          id,
        ]);
        await client.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2', [
          id,
          patch.keepSession ?? '',
        ]);
      }
      if (patch.emails !== undefined) {
        await client.query('DELETE FROM user_emails WHERE user_id = $1', [id]);
        await insertEmails(client, id, patch.emails);
        await client.query('UPDATE users SET emails = $1::jsonb WHERE id = $2', [JSON.stringify(patch.emails), id]);
      }
      await client.query('UPDATE users SET updated_at = $1 WHERE id = $2', [now, id]);
      return { status: 'ok', value: undefined };
    }).catch(rethrowConflict);
    if (result.status !== 'ok') return result;
    return { status: 'ok', value: await this.mustGetUser(id) };
  }

  async deleteUser(id: string): Promise<AdminGuardedResult<void>> {
    return this.transaction(async (client): Promise<AdminGuardedResult<void>> => {
      await lockAdmins(client);
      const { rows } = await client.query<{ role: BuiltinRole }>('SELECT role FROM users WHERE id = $1', [id]);
      if (rows.length === 0) return { status: 'not_found' };
      if (rows[0].role === 'admin' && (await adminCount(client)) <= 1) return { status: 'last_admin' };
      await client.query('DELETE FROM sessions WHERE user_id = $1', [id]);
      await client.query('DELETE FROM user_emails WHERE user_id = $1', [id]);
      await client.query('DELETE FROM users WHERE id = $1', [id]);
      return { status: 'ok', value: undefined };
    });
  }

  async hasUserWithDefaultPassword(): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM users WHERE default_password LIMIT 1');
    return (rowCount ?? 0) > 0;
  }

  async createSession(session: SessionRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_used_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [session.tokenHash, session.userId, session.createdAt, session.lastUsedAt, session.expiresAt],
    );
  }

  async findSession(tokenHash: string): Promise<{ session: SessionRecord; user: SessionUser } | undefined> {
    const { rows } = await this.pool.query<FindSessionRow>({ ...FIND_SESSION, values: [tokenHash] });
    const row = rows[0];
    if (!row) return undefined;
    return {
      session: { tokenHash, userId: row[3], createdAt: row[0], lastUsedAt: row[1], expiresAt: row[2] },
      user: { id: row[3], username: row[4], role: row[5], emails: row[8], createdAt: row[6], updatedAt: row[7] },
    };
  }

  async touchSession(tokenHash: string, now: number): Promise<void> {
    await this.pool.query('UPDATE sessions SET last_used_at = $1 WHERE token_hash = $2', [now, tokenHash]);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteExpiredSessions(idleBefore: number, now: number): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM sessions WHERE last_used_at < $1 OR expires_at <= $2', [
      idleBefore,
      now,
    ]);
    return rowCount ?? 0;
  }

  async listWorkspaces(): Promise<WorkspaceRecord[]> {
    const { rows } = await this.pool.query<WorkspaceRow>('SELECT * FROM workspaces ORDER BY builtin DESC, lower(name)');
    return rows.map(toWorkspace);
  }

  async createWorkspace(workspace: NewWorkspace): Promise<WorkspaceRecord> {
    await this.transaction(async (client) => {
      await client.query(
        'INSERT INTO workspaces (id, name, builtin, created_by, created_at) VALUES ($1, $2, FALSE, $3, $4)',
        [workspace.id, workspace.name, workspace.createdBy, workspace.now],
      );
      await client.query('DELETE FROM deleted_workspaces WHERE name_key = lower($1)', [workspace.name]);
    }).catch(rethrowConflict);
    return {
      id: workspace.id,
      name: workspace.name,
      builtin: false,
      createdBy: workspace.createdBy,
      createdAt: workspace.now,
    };
  }

  async getWorkspace(id: string): Promise<WorkspaceRecord | undefined> {
    const { rows } = await this.pool.query<WorkspaceRow>('SELECT * FROM workspaces WHERE id = $1', [id]);
    return rows[0] && toWorkspace(rows[0]);
  }

  async deleteWorkspace(id: string, deletedBy: string | null, now: number): Promise<boolean> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<{ name: string }>(
        'DELETE FROM workspaces WHERE id = $1 AND NOT builtin RETURNING name',
        [id],
      );
      if (!rows[0]) return false;
      await client.query(
        `INSERT INTO deleted_workspaces (name_key, name, deleted_by, deleted_at) VALUES (lower($1), $1, $2, $3)
         ON CONFLICT (name_key) DO UPDATE SET name = excluded.name, deleted_by = excluded.deleted_by, deleted_at = excluded.deleted_at`,
        [rows[0].name, deletedBy, now],
      );
      return true;
    });
  }

  async listDeletedWorkspaces(): Promise<DeletedWorkspaceRecord[]> {
    const { rows } = await this.pool.query<{ name: string; deleted_by: string | null; deleted_at: number }>(
      'SELECT name, deleted_by, deleted_at FROM deleted_workspaces ORDER BY name_key',
    );
    return rows.map((r) => ({ name: r.name, deletedBy: r.deleted_by, deletedAt: r.deleted_at }));
  }

  async getLoginThrottles(keys: readonly string[]): Promise<LoginThrottleRecord[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.pool.query<ThrottleRow>('SELECT * FROM login_throttle WHERE key = ANY($1)', [keys]);
    return rows.map((r) => ({
      key: r.key,
      failures: r.failures,
      lastFailureAt: r.last_failure_at,
      blockedUntil: r.blocked_until,
    }));
  }

  async addLoginFailure(key: string, now: number, resetBefore: number): Promise<number> {
    const { rows } = await this.pool.query<{ failures: number }>(
      `INSERT INTO login_throttle (key, failures, last_failure_at, blocked_until) VALUES ($1, 1, $2, 0)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_throttle.last_failure_at < $3 THEN 1 ELSE login_throttle.failures + 1 END,
         last_failure_at = excluded.last_failure_at
       RETURNING failures`,
      [key, now, resetBefore],
    );
    return rows[0].failures;
  }

  async blockLogin(key: string, until: number): Promise<void> {
    await this.pool.query('UPDATE login_throttle SET blocked_until = GREATEST(blocked_until, $1) WHERE key = $2', [
      until,
      key,
    ]);
  }

  async clearLoginThrottle(key: string): Promise<void> {
    await this.pool.query('DELETE FROM login_throttle WHERE key = $1', [key]);
  }

  async addSigningKey(key: SigningKeyRecord): Promise<SigningKeyRecord> {
    try {
      await this.pool.query(
        'INSERT INTO signing_keys (fingerprint, user_id, public_key, comment, created_at) VALUES ($1, $2, $3, $4, $5)',
        [key.fingerprint, key.userId, key.publicKey, key.comment, key.createdAt],
      );
    } catch (err) {
      rethrowConflict(err);
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

  async createInvite(invite: InviteRecord): Promise<void> {
    await this.pool.query(`INSERT INTO invites (${INVITE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      invite.id,
      invite.secretHash,
      invite.username,
      invite.role,
      invite.createdBy,
      invite.createdAt,
      invite.expiresAt,
      invite.acceptedAt,
      invite.revokedAt,
    ]);
  }

  async findInvite(id: string): Promise<InviteRecord | undefined> {
    const { rows } = await this.pool.query<InviteRow>(`SELECT ${INVITE_COLUMNS} FROM invites WHERE id = $1`, [id]);
    return rows[0] && toInvite(rows[0]);
  }

  async listInvites(): Promise<InviteRecord[]> {
    const { rows } = await this.pool.query<InviteRow>(`SELECT ${INVITE_COLUMNS} FROM invites ORDER BY created_at, id`);
    return rows.map(toInvite);
  }

  async revokeInvite(id: string, now: number): Promise<InviteRecord | undefined> {
    await this.pool.query(
      'UPDATE invites SET revoked_at = $1 WHERE id = $2 AND accepted_at IS NULL AND revoked_at IS NULL',
      [now, id],
    );
    return this.findInvite(id);
  }

  async acceptInvite(id: string, user: NewUser): Promise<'accepted' | 'gone'> {
    return this.transaction(async (client): Promise<'accepted' | 'gone'> => {
      const marked = await client.query(
        `UPDATE invites SET accepted_at = $1
         WHERE id = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1`,
        [user.now, id],
      );
      if (marked.rowCount === 0) return 'gone';
      await insertUser(client, user);
      return 'accepted';
    }).catch(rethrowConflict);
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

  async nextCounter(key: string): Promise<number> {
    const { rows } = await this.pool.query<{ value: string }>(
      `INSERT INTO settings (key, value) VALUES ($1, '1')
       ON CONFLICT (key) DO UPDATE SET value = (settings.value::bigint + 1)::text RETURNING value`,
      [key],
    );
    return Number(rows[0].value);
  }

  async getSetting(key: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
    return rows[0]?.value;
  }

  async putSettingIfAbsent(key: string, value: string): Promise<string> {
    await this.pool.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
      key,
      value,
    ]);
    return (await this.getSetting(key)) ?? value;
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
    // A release whose name another path holds (releases_name_env_key) becomes a ConflictError.
    return this.workflow.changeReview(id, now, decide).catch(rethrowConflict);
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

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, work);
  }

  private async mustGetUser(id: string): Promise<UserRecord> {
    const user = await this.getUserById(id);
    if (!user) throw new Error(`user ${id} vanished after write`);
    return user;
  }
}

/** Serialises changes that could remove the last admin (two admins demoting each other at once). */
async function lockAdmins(client: PoolClient): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.promptops.admins'))");
}

async function adminCount(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'admin'");
  return rows[0].n;
}

async function insertUser(client: PoolClient, user: NewUser): Promise<void> {
  await client.query(
    `INSERT INTO users (id, username, password_hash, role, default_password, created_at, updated_at, emails)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7::jsonb)`,
    [user.id, user.username, user.passwordHash, user.role, user.defaultPassword, user.now, JSON.stringify(user.emails)],
  );
  await insertEmails(client, user.id, user.emails);
}

async function insertEmails(client: PoolClient, userId: string, emails: readonly string[]): Promise<void> {
  for (const [i, email] of emails.entries()) {
    await client.query('INSERT INTO user_emails (email, user_id, position) VALUES ($1, $2, $3)', [email, userId, i]);
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
