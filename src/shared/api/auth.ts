import type { BuiltinRole } from '../../core/policy/actions';
import type { ApiKeyDto } from './apiKeys';
import type { UserDto } from './users';

export interface LoginRequest {
  username: string;
  password: string;
}

export interface LoginResponse {
  /** Send as `Authorization: Bearer <token>`. */
  token: string;
  /** When the session ends at the latest (absolute expiry), ISO 8601. */
  expiresAt: string;
  user: UserDto;
}

export type AuthMethod = 'session' | 'static-token' | 'api-key';

export type SecurityWarningCode = 'default-admin-password' | 'default-static-token' | 'weak-static-token';

export interface SecurityWarning {
  code: SecurityWarningCode;
  message: string;
}

export interface MeResponse {
  /** The signed-in user; null for the static `PROMPTOPS_TOKEN`, which is no user. */
  user: UserDto | null;
  role: BuiltinRole;
  authMethod: AuthMethod;
  /** When the request came with an API key: that key (the user is its creator). */
  apiKey?: ApiKeyDto;
  /** Admins only: default credentials still in use. */
  warnings?: SecurityWarning[];
}
