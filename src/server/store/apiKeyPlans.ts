import type { BuiltinRole } from '../../core/policy/actions';
import { toEmails, type DbEmails } from './accountRows';
import {
  API_KEY_COLUMNS,
  toApiKey,
  type ApiKeyListing,
  type ApiKeyRecord,
  type ApiKeyRow,
  type FoundApiKey,
} from './apiKeyRecords';
import { execute, selectRow, selectRows, type Plan } from './sqlPlan';

/** The creator's columns beside a key's (the key's own names come first). */
interface ApiKeyCreatorRow {
  username: string;
  role: BuiltinRole;
  emails: DbEmails;
  user_created_at: number;
  user_updated_at: number;
}

export function* createApiKey(key: ApiKeyRecord): Plan<void> {
  yield* execute(
    `INSERT INTO api_keys (id, name, secret_hash, user_id, scope, created_at, expires_at, last_used_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
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

export function* findApiKey(id: string): Plan<FoundApiKey | undefined> {
  const row = yield* selectRow<ApiKeyRow & ApiKeyCreatorRow>(
    `SELECT ${API_KEY_COLUMNS}, u.username, u.role, u.emails, u.created_at AS user_created_at, u.updated_at AS user_updated_at
     FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ?`,
    id,
  );
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

export function* listApiKeys(userId?: string): Plan<ApiKeyListing[]> {
  const sql = `SELECT ${API_KEY_COLUMNS}, u.username FROM api_keys k JOIN users u ON u.id = k.user_id
    ${userId === undefined ? '' : 'WHERE k.user_id = ?'} ORDER BY k.created_at, k.id`;
  const rows = yield* selectRows<ApiKeyRow & { username: string }>(sql, ...(userId === undefined ? [] : [userId]));
  return rows.map((row) => ({ ...toApiKey(row), createdBy: row.username }));
}

export function* deleteApiKey(id: string): Plan<ApiKeyRecord | undefined> {
  const row = yield* selectRow<ApiKeyRow>(
    `DELETE FROM api_keys WHERE id = ? RETURNING ${API_KEY_COLUMNS.replaceAll('k.', '')}`,
    id,
  );
  return row && toApiKey(row);
}

export function* touchApiKey(id: string, now: number): Plan<void> {
  yield* execute('UPDATE api_keys SET last_used_at = ? WHERE id = ?', now, id);
}
