import {
  API_KEY_COLUMNS,
  toApiKey,
  type ApiKeyListing,
  type ApiKeyRecord,
  type ApiKeyRow,
  type FoundApiKey,
} from '../apiKeyRecords';
import Database from 'better-sqlite3';
import { INVITE_COLUMNS, toInvite, type InviteRecord, type InviteRow } from '../inviteRecords';
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

/** Set once in `settings` when the first-start admin is created. */
const INITIAL_ADMIN_MARKER = 'bootstrap.initial_admin_created';

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: BuiltinRole;
  default_password: number;
  created_at: number;
  updated_at: number;
  emails: string;
}

interface WorkspaceRow {
  id: string;
  name: string;
  builtin: number;
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
 * The per-request lookup: two rows by primary key, only the columns a request needs (no
 * password hash), read as an array (raw mode) rather than an object per row.
 */
const FIND_SESSION = `SELECT s.created_at, s.last_used_at, s.expires_at, u.id, u.username, u.role, u.created_at, u.updated_at, u.emails
  FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`;
type FindSessionRow = [number, number, number, string, string, BuiltinRole, number, number, string];

/** Most users have no emails; skip the parse for them. */
function parseEmails(json: string): string[] {
  return json === '[]' ? [] : (JSON.parse(json) as string[]);
}

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    role: row.role,
    emails: parseEmails(row.emails),
    defaultPassword: row.default_password === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toWorkspace(row: WorkspaceRow): WorkspaceRecord {
  return {
    id: row.id,
    name: row.name,
    builtin: row.builtin === 1,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

const SIGNING_KEY_COLUMNS = 'fingerprint, user_id AS userId, public_key AS publicKey, comment, created_at AS createdAt';

/** Maps a unique-constraint failure to ConflictError; rethrows anything else. */
/** The creator's columns beside a key's (the key's own names come first). */
interface ApiKeyCreatorRow {
  username: string;
  role: BuiltinRole;
  emails: string;
  user_created_at: number;
  user_updated_at: number;
}

function rethrowConflict(err: unknown): never {
  if (err instanceof Database.SqliteError && err.code.startsWith('SQLITE_CONSTRAINT')) {
    throw conflictForIndex(err.message) ?? err;
  }
  throw err;
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
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly workflow: SqliteWorkflowTables;
  private readonly findSessionStatement: Database.Statement<[string], FindSessionRow>;

  private constructor(db: Database.Database) {
    this.db = db;
    this.workflow = new SqliteWorkflowTables(db, (sql) => this.stmt(sql));
    this.findSessionStatement = db.prepare<[string], FindSessionRow>(FIND_SESSION).raw(true);
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
    return new SqliteStore(db);
  }

  async ping(): Promise<void> {
    this.stmt('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async countUsers(): Promise<number> {
    return (this.stmt('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    try {
      this.db.transaction(() => this.insertUser(user)).immediate();
    } catch (err) {
      rethrowConflict(err);
    }
    return this.mustGetUser(user.id);
  }

  async createInitialAdmin(user: NewUser): Promise<boolean> {
    const created = this.db
      .transaction(() => {
        const marked = this.db
          .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING')
          .run(INITIAL_ADMIN_MARKER, new Date(user.now).toISOString());
        if (marked.changes === 0) return false;
        this.insertUser(user);
        return true;
      })
      .immediate();
    return created;
  }

  async getUserById(id: string): Promise<UserRecord | undefined> {
    const row = this.stmt(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ?`).get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  async getUserByUsername(username: string): Promise<UserRecord | undefined> {
    const row = this.stmt(`SELECT ${USER_COLUMNS} FROM users u WHERE u.username = ?`).get(username) as
      UserRow | undefined;
    return row && toUser(row);
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = this.stmt(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.username`).all() as UserRow[];
    return rows.map(toUser);
  }

  async updateUser(id: string, patch: UserPatch, now: number): Promise<AdminGuardedResult<UserRecord>> {
    let result: AdminGuardedResult<void>;
    try {
      result = this.db
        .transaction((): AdminGuardedResult<void> => {
          const current = this.stmt('SELECT role FROM users WHERE id = ?').get(id) as { role: BuiltinRole } | undefined;
          if (!current) return { status: 'not_found' };
          if (
            current.role === 'admin' &&
            patch.role !== undefined &&
            patch.role !== 'admin' &&
            this.adminCount() <= 1
          ) {
            return { status: 'last_admin' };
          }
          if (patch.role !== undefined) {
            this.stmt('UPDATE users SET role = ? WHERE id = ?').run(patch.role, id);
          }
          if (patch.passwordHash !== undefined) {
            this.db
              .prepare('UPDATE users SET password_hash = ?, default_password = 0 WHERE id = ?')
              .run(patch.passwordHash, id);
            this.stmt('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?').run(id, patch.keepSession ?? '');
          }
          if (patch.emails !== undefined) {
            this.stmt('DELETE FROM user_emails WHERE user_id = ?').run(id);
            this.insertEmails(id, patch.emails);
            this.stmt('UPDATE users SET emails = ? WHERE id = ?').run(JSON.stringify(patch.emails), id);
          }
          this.stmt('UPDATE users SET updated_at = ? WHERE id = ?').run(now, id);
          return { status: 'ok', value: undefined };
        })
        .immediate();
    } catch (err) {
      rethrowConflict(err);
    }
    if (result.status !== 'ok') return result;
    return { status: 'ok', value: await this.mustGetUser(id) };
  }

  async deleteUser(id: string): Promise<AdminGuardedResult<void>> {
    return this.db
      .transaction((): AdminGuardedResult<void> => {
        const current = this.stmt('SELECT role FROM users WHERE id = ?').get(id) as { role: BuiltinRole } | undefined;
        if (!current) return { status: 'not_found' };
        if (current.role === 'admin' && this.adminCount() <= 1) return { status: 'last_admin' };
        // Sessions go with the user (also by cascade); explicit so it never depends on the pragma.
        this.stmt('DELETE FROM sessions WHERE user_id = ?').run(id);
        this.stmt('DELETE FROM user_emails WHERE user_id = ?').run(id);
        this.stmt('DELETE FROM users WHERE id = ?').run(id);
        return { status: 'ok', value: undefined };
      })
      .immediate();
  }

  async hasUserWithDefaultPassword(): Promise<boolean> {
    return this.stmt('SELECT 1 FROM users WHERE default_password = 1 LIMIT 1').get() !== undefined;
  }

  async createSession(session: SessionRecord): Promise<void> {
    this.stmt(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ).run(session.tokenHash, session.userId, session.createdAt, session.lastUsedAt, session.expiresAt);
  }

  async findSession(tokenHash: string): Promise<{ session: SessionRecord; user: SessionUser } | undefined> {
    const row = this.findSessionStatement.get(tokenHash);
    if (!row) return undefined;
    return {
      session: { tokenHash, userId: row[3], createdAt: row[0], lastUsedAt: row[1], expiresAt: row[2] },
      user: {
        id: row[3],
        username: row[4],
        role: row[5],
        emails: parseEmails(row[8]),
        createdAt: row[6],
        updatedAt: row[7],
      },
    };
  }

  async touchSession(tokenHash: string, now: number): Promise<void> {
    this.stmt('UPDATE sessions SET last_used_at = ? WHERE token_hash = ?').run(now, tokenHash);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.stmt('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  async deleteExpiredSessions(idleBefore: number, now: number): Promise<number> {
    return this.stmt('DELETE FROM sessions WHERE last_used_at < ? OR expires_at <= ?').run(idleBefore, now).changes;
  }

  async listWorkspaces(): Promise<WorkspaceRecord[]> {
    const rows = this.stmt('SELECT * FROM workspaces ORDER BY builtin DESC, lower(name)').all() as WorkspaceRow[];
    return rows.map(toWorkspace);
  }

  async createWorkspace(workspace: NewWorkspace): Promise<WorkspaceRecord> {
    try {
      this.db
        .transaction(() => {
          this.stmt('INSERT INTO workspaces (id, name, builtin, created_by, created_at) VALUES (?, ?, 0, ?, ?)').run(
            workspace.id,
            workspace.name,
            workspace.createdBy,
            workspace.now,
          );
          this.stmt('DELETE FROM deleted_workspaces WHERE name_key = lower(?)').run(workspace.name);
        })
        .immediate();
    } catch (err) {
      rethrowConflict(err);
    }
    return {
      id: workspace.id,
      name: workspace.name,
      builtin: false,
      createdBy: workspace.createdBy,
      createdAt: workspace.now,
    };
  }

  async getWorkspace(id: string): Promise<WorkspaceRecord | undefined> {
    const row = this.stmt('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined;
    return row && toWorkspace(row);
  }

  async deleteWorkspace(id: string, deletedBy: string | null, now: number): Promise<boolean> {
    return this.db
      .transaction((): boolean => {
        const row = this.stmt('DELETE FROM workspaces WHERE id = ? AND builtin = 0 RETURNING name').get(id) as
          { name: string } | undefined;
        if (!row) return false;
        this.stmt(
          `INSERT INTO deleted_workspaces (name_key, name, deleted_by, deleted_at) VALUES (lower(?), ?, ?, ?)
           ON CONFLICT (name_key) DO UPDATE SET name = excluded.name, deleted_by = excluded.deleted_by, deleted_at = excluded.deleted_at`,
        ).run(row.name, row.name, deletedBy, now);
        return true;
      })
      .immediate();
  }

  async listDeletedWorkspaces(): Promise<DeletedWorkspaceRecord[]> {
    const rows = this.stmt('SELECT name, deleted_by, deleted_at FROM deleted_workspaces ORDER BY name_key').all() as {
      name: string;
      deleted_by: string | null;
      deleted_at: number;
    }[];
    return rows.map((r) => ({ name: r.name, deletedBy: r.deleted_by, deletedAt: r.deleted_at }));
  }

  async getLoginThrottles(keys: readonly string[]): Promise<LoginThrottleRecord[]> {
    if (keys.length === 0) return [];
    const rows = this.stmt(`SELECT * FROM login_throttle WHERE key IN (${keys.map(() => '?').join(', ')})`).all(
      ...keys,
    ) as ThrottleRow[];
    return rows.map((r) => ({
      key: r.key,
      failures: r.failures,
      lastFailureAt: r.last_failure_at,
      blockedUntil: r.blocked_until,
    }));
  }

  async addLoginFailure(key: string, now: number, resetBefore: number): Promise<number> {
    const row = this.stmt(
      `INSERT INTO login_throttle (key, failures, last_failure_at, blocked_until) VALUES (?, 1, ?, 0)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN login_throttle.last_failure_at < ? THEN 1 ELSE login_throttle.failures + 1 END,
           last_failure_at = excluded.last_failure_at
         RETURNING failures`,
    ).get(key, now, resetBefore) as { failures: number };
    return row.failures;
  }

  async blockLogin(key: string, until: number): Promise<void> {
    this.stmt('UPDATE login_throttle SET blocked_until = max(blocked_until, ?) WHERE key = ?').run(until, key);
  }

  async clearLoginThrottle(key: string): Promise<void> {
    this.stmt('DELETE FROM login_throttle WHERE key = ?').run(key);
  }

  async addSigningKey(key: SigningKeyRecord): Promise<SigningKeyRecord> {
    try {
      this.stmt(
        'INSERT INTO signing_keys (fingerprint, user_id, public_key, comment, created_at) VALUES (?, ?, ?, ?, ?)',
      ).run(key.fingerprint, key.userId, key.publicKey, key.comment, key.createdAt);
    } catch (err) {
      rethrowConflict(err);
    }
    return key;
  }

  async listSigningKeys(userId?: string): Promise<SigningKeyRecord[]> {
    const rows = (
      userId === undefined
        ? this.stmt(`SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys ORDER BY created_at, fingerprint`).all()
        : this.stmt(
            `SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys WHERE user_id = ? ORDER BY created_at, fingerprint`,
          ).all(userId)
    ) as SigningKeyRecord[];
    return rows;
  }

  async removeSigningKey(userId: string, fingerprint: string): Promise<SigningKeyRecord | undefined> {
    return this.stmt(
      `DELETE FROM signing_keys WHERE user_id = ? AND fingerprint = ? RETURNING ${SIGNING_KEY_COLUMNS}`,
    ).get(userId, fingerprint) as SigningKeyRecord | undefined;
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    this.stmt(
      `INSERT INTO api_keys (id, name, secret_hash, user_id, scope, created_at, expires_at, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
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
    const row = this.stmt(
      `SELECT ${API_KEY_COLUMNS}, u.username, u.role, u.emails, u.created_at AS user_created_at, u.updated_at AS user_updated_at
       FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ?`,
    ).get(id) as (ApiKeyRow & ApiKeyCreatorRow) | undefined;
    if (!row) return undefined;
    return {
      key: toApiKey(row),
      user: {
        id: row.user_id,
        username: row.username,
        role: row.role,
        emails: parseEmails(row.emails),
        createdAt: row.user_created_at,
        updatedAt: row.user_updated_at,
      },
    };
  }

  async listApiKeys(userId?: string): Promise<ApiKeyListing[]> {
    const sql = `SELECT ${API_KEY_COLUMNS}, u.username FROM api_keys k JOIN users u ON u.id = k.user_id
      ${userId === undefined ? '' : 'WHERE k.user_id = ?'} ORDER BY k.created_at, k.id`;
    const rows = (userId === undefined ? this.stmt(sql).all() : this.stmt(sql).all(userId)) as (ApiKeyRow & {
      username: string;
    })[];
    return rows.map((row) => ({ ...toApiKey(row), createdBy: row.username }));
  }

  async deleteApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const row = this.stmt(
      `DELETE FROM api_keys AS k WHERE k.id = ? RETURNING ${API_KEY_COLUMNS.replaceAll('k.', '')}`,
    ).get(id) as ApiKeyRow | undefined;
    return row && toApiKey(row);
  }

  async touchApiKey(id: string, now: number): Promise<void> {
    this.stmt('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, id);
  }

  async createInvite(invite: InviteRecord): Promise<void> {
    this.stmt(`INSERT INTO invites (${INVITE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      invite.id,
      invite.secretHash,
      invite.username,
      invite.role,
      invite.createdBy,
      invite.createdAt,
      invite.expiresAt,
      invite.acceptedAt,
      invite.revokedAt,
    );
  }

  async findInvite(id: string): Promise<InviteRecord | undefined> {
    const row = this.stmt(`SELECT ${INVITE_COLUMNS} FROM invites WHERE id = ?`).get(id) as InviteRow | undefined;
    return row && toInvite(row);
  }

  async listInvites(): Promise<InviteRecord[]> {
    const rows = this.stmt(`SELECT ${INVITE_COLUMNS} FROM invites ORDER BY created_at, id`).all() as InviteRow[];
    return rows.map(toInvite);
  }

  async revokeInvite(id: string, now: number): Promise<InviteRecord | undefined> {
    this.stmt('UPDATE invites SET revoked_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL').run(
      now,
      id,
    );
    return this.findInvite(id);
  }

  async acceptInvite(id: string, user: NewUser): Promise<'accepted' | 'gone'> {
    try {
      return this.db
        .transaction((): 'accepted' | 'gone' => {
          const marked = this.stmt(
            `UPDATE invites SET accepted_at = ?
             WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?`,
          ).run(user.now, id, user.now);
          if (marked.changes === 0) return 'gone';
          this.insertUser(user);
          return 'accepted';
        })
        .immediate();
    } catch (err) {
      rethrowConflict(err);
    }
  }

  async nextCounter(key: string): Promise<number> {
    const row = this.stmt(
      `INSERT INTO settings (key, value) VALUES (?, '1')
       ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) RETURNING value`,
    ).get(key) as { value: string };
    return Number(row.value);
  }

  async getSetting(key: string): Promise<string | undefined> {
    const row = this.stmt('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  async putSettingIfAbsent(key: string, value: string): Promise<string> {
    this.stmt('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(key, value);
    return (await this.getSetting(key)) ?? value;
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
    try {
      return this.workflow.changeReview(id, now, decide);
    } catch (err) {
      rethrowConflict(err); // a release whose name another path holds (releases_name_env_key)
    }
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

  /** Statements are compiled once per connection. */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private adminCount(): number {
    return (this.stmt("SELECT count(*) AS n FROM users WHERE role = 'admin'").get() as { n: number }).n;
  }

  private insertUser(user: NewUser): void {
    this.stmt(
      `INSERT INTO users (id, username, password_hash, role, default_password, created_at, updated_at, emails)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      user.id,
      user.username,
      user.passwordHash,
      user.role,
      user.defaultPassword ? 1 : 0,
      user.now,
      user.now,
      JSON.stringify(user.emails),
    );
    this.insertEmails(user.id, user.emails);
  }

  private insertEmails(userId: string, emails: readonly string[]): void {
    const insert = this.stmt('INSERT INTO user_emails (email, user_id, position) VALUES (?, ?, ?)');
    emails.forEach((email, i) => insert.run(email, userId, i));
  }

  private async mustGetUser(id: string): Promise<UserRecord> {
    const user = await this.getUserById(id);
    if (!user) throw new Error(`user ${id} vanished after write`);
    return user;
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
