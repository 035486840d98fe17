import type { Action } from '../../core/policy/actions';

/** What a key may be used for; absent `workspaces` / `envs` mean every one. */
export interface ApiKeyScopeDto {
  actions: Action[];
  workspaces?: string[];
  envs?: string[];
}

/** An API key as listed: never its secret. */
export interface ApiKeyDto {
  id: string;
  name: string;
  scope: ApiKeyScopeDto;
  /** The username whose current rights the key is limited to. */
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
}

export interface CreateApiKeyRequest {
  name: string;
  scope: ApiKeyScopeDto;
  /** ISO 8601; default 90 days from now, at most 1 year. */
  expiresAt?: string;
  /**
   * Admins: a service account's username, for a key acting as that account (a release
   * bot) rather than as the caller.
   */
  serviceAccount?: string;
}

/** The only time the secret is shown: send it as `Authorization: Bearer <token>`. */
export interface CreateApiKeyResponse {
  key: ApiKeyDto;
  token: string;
}

export interface ApiKeyListResponse {
  keys: ApiKeyDto[];
}
