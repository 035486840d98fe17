import type { BuiltinRole } from '../../core/policy/actions';
import type { LoginThrottleRecord, UserRecord, WorkspaceRecord } from './records';

/**
 * Rows of the users, workspaces and login-throttle tables as either dialect returns them:
 * SQLite has no BOOLEAN (0/1) and keeps JSON as TEXT, PostgreSQL returns booleans and
 * parsed JSONB. One set of mappers reads both.
 */
export type DbBoolean = boolean | number;
/** `users.emails`: a JSON array (migration 3), TEXT on SQLite, JSONB on PostgreSQL. */
export type DbEmails = string | string[];

export interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: BuiltinRole;
  default_password: DbBoolean;
  created_at: number;
  updated_at: number;
  emails: DbEmails;
}

export interface WorkspaceRow {
  id: string;
  name: string;
  builtin: DbBoolean;
  created_by: string | null;
  created_at: number;
}

export interface ThrottleRow {
  key: string;
  failures: number;
  last_failure_at: number;
  blocked_until: number;
}

// Emails live on the user row as a JSON array, so a user is one row.
export const USER_COLUMNS =
  'u.id, u.username, u.password_hash, u.role, u.default_password, u.created_at, u.updated_at, u.emails';

/** Most users have no emails; skip the parse for them. */
export function toEmails(emails: DbEmails): string[] {
  if (typeof emails !== 'string') return emails;
  return emails === '[]' ? [] : (JSON.parse(emails) as string[]);
}

export function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    role: row.role,
    emails: toEmails(row.emails),
    defaultPassword: Boolean(row.default_password),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toWorkspace(row: WorkspaceRow): WorkspaceRecord {
  return {
    id: row.id,
    name: row.name,
    builtin: Boolean(row.builtin),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export function toThrottle(row: ThrottleRow): LoginThrottleRecord {
  return {
    key: row.key,
    failures: row.failures,
    lastFailureAt: row.last_failure_at,
    blockedUntil: row.blocked_until,
  };
}
