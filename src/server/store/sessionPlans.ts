import type { BuiltinRole } from '../../core/policy/actions';
import { toEmails, type DbEmails } from './accountRows';
import type { SessionRecord, SessionUser } from './records';
import { execute, type Plan } from './sqlPlan';

/**
 * The per-request lookup: two rows by primary key, only the columns a request needs (no
 * password hash), read as an array rather than an object per row (one prepared statement).
 */
const FIND_SESSION = `SELECT s.created_at, s.last_used_at, s.expires_at, u.id, u.username, u.role, u.created_at, u.updated_at, u.emails
  FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`;
type FindSessionRow = [number, number, number, string, string, BuiltinRole, number, number, DbEmails];

/**
 * The number migration 19's triggers move on every change to users, sessions and API keys
 * (src/server/auth/identityCache.ts). One row by primary key; runs on every authenticated request.
 */
export function* authGeneration(): Plan<number> {
  const rows = (yield {
    kind: 'rows',
    sql: 'SELECT value FROM auth_generation WHERE id = 1',
    params: [],
    arrays: 'promptops_auth_generation_v1',
  }) as [number | string][];
  // PostgreSQL's BIGINT arrives as a string; equality is all a caller asks of it.
  return Number(rows[0][0]);
}

export function* createSession(session: SessionRecord): Plan<void> {
  yield* execute(
    'INSERT INTO sessions (token_hash, user_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    session.tokenHash,
    session.userId,
    session.createdAt,
    session.lastUsedAt,
    session.expiresAt,
  );
}

export function* findSession(tokenHash: string): Plan<{ session: SessionRecord; user: SessionUser } | undefined> {
  // One generator, not two (no `selectArray`): this runs on every authenticated request.
  const rows = (yield {
    kind: 'rows',
    sql: FIND_SESSION,
    params: [tokenHash],
    arrays: 'promptops_find_session_v3',
  }) as FindSessionRow[];
  const row = rows[0];
  if (!row) return undefined;
  return {
    session: { tokenHash, userId: row[3], createdAt: row[0], lastUsedAt: row[1], expiresAt: row[2] },
    user: {
      id: row[3],
      username: row[4],
      role: row[5],
      emails: toEmails(row[8]),
      createdAt: row[6],
      updatedAt: row[7],
    },
  };
}

export function* touchSession(tokenHash: string, now: number): Plan<void> {
  yield* execute('UPDATE sessions SET last_used_at = ? WHERE token_hash = ?', now, tokenHash);
}

export function* deleteSession(tokenHash: string): Plan<void> {
  yield* execute('DELETE FROM sessions WHERE token_hash = ?', tokenHash);
}

export function* deleteExpiredSessions(idleBefore: number, now: number): Plan<number> {
  return yield* execute('DELETE FROM sessions WHERE last_used_at < ? OR expires_at <= ?', idleBefore, now);
}
