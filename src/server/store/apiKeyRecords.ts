import type { Action } from '../../core/policy/actions';
import type { SessionUser } from './records';

/** What a key may be used for (see core/policy/apiKeyScope.ts); absent lists mean all. */
export interface StoredKeyScope {
  actions: Action[];
  workspaces?: string[];
  envs?: string[];
}

/** An API key as stored: never the secret, only the sha256 of the whole token. */
export interface ApiKeyRecord {
  /** Public id, part of the token (`pok_<id>_<secret>`): how a presented key is found. */
  id: string;
  name: string;
  /** sha256 (hex) of the full token; compared in constant time. */
  secretHash: string;
  /** The creator: the key's rights never exceed this user's current ones. */
  userId: string;
  scope: StoredKeyScope;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number | null;
}

/** A key with its creator's name, for lists. */
export interface ApiKeyListing extends ApiKeyRecord {
  createdBy: string;
}

/** A key and its creator as the per-request lookup returns them (the creator re-read every time). */
export interface FoundApiKey {
  key: ApiKeyRecord;
  user: SessionUser;
}

/** The row shape both stores read (times as numbers, scope as JSON text). */
export interface ApiKeyRow {
  id: string;
  name: string;
  secret_hash: string;
  user_id: string;
  scope: string;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
}

export function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secret_hash,
    userId: row.user_id,
    scope: JSON.parse(row.scope) as StoredKeyScope,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

export const API_KEY_COLUMNS =
  'k.id, k.name, k.secret_hash, k.user_id, k.scope, k.created_at, k.expires_at, k.last_used_at';
