import type { BuiltinRole } from '../../core/policy/actions';

/** Rows as the store hands them out. Times are epoch milliseconds. */
export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  role: BuiltinRole;
  emails: string[];
  /** True while the account still has the first-start password (`admin`/`admin`). */
  defaultPassword: boolean;
  createdAt: number;
  updatedAt: number;
}

/**
 * A user as the per-request session lookup returns it: what requests need (identity,
 * role, the public fields of `GET /api/me`), never the password hash.
 */
export type SessionUser = Omit<UserRecord, 'passwordHash' | 'defaultPassword'>;

export interface SessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
}

export interface WorkspaceRecord {
  id: string;
  name: string;
  builtin: boolean;
  createdBy: string | null;
  createdAt: number;
}

/** A workspace deleted through the API: it stays deleted until an admin re-creates it. */
export interface DeletedWorkspaceRecord {
  name: string;
  deletedBy: string | null;
  deletedAt: number;
}

export interface LoginThrottleRecord {
  key: string;
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export interface NewUser {
  id: string;
  username: string;
  passwordHash: string;
  role: BuiltinRole;
  emails: string[];
  defaultPassword: boolean;
  now: number;
}

export interface UserPatch {
  role?: BuiltinRole;
  /** A new password ends the user's sessions, all but `keepSession` (the token hash of the request that changed it). */
  passwordHash?: string;
  keepSession?: string;
  emails?: string[];
}

export interface NewWorkspace {
  id: string;
  name: string;
  createdBy: string | null;
  now: number;
}

/** An SSH key a user signs git commits with (`gpg.format=ssh`). */
export interface SigningKeyRecord {
  /** `SHA256:…` as ssh-keygen shows it; unique across users. */
  fingerprint: string;
  userId: string;
  /** `ssh-ed25519 AAAA…`, without the comment. */
  publicKey: string;
  comment: string;
  createdAt: number;
}
