import type { BuiltinRole } from '../../core/policy/actions';

/** A user as the API shows it; never carries a password or its hash. */
export interface UserDto {
  id: string;
  username: string;
  role: BuiltinRole;
  /** Git author emails that identify this user's commits (used by `promptops verify`). */
  emails: string[];
  createdAt: string;
  updatedAt: string;
  /** A user with no password (a release bot), acting only through API keys; shown to admins. */
  serviceAccount?: boolean;
}

/**
 * The server refuses shorter passwords (and common or easily guessed ones, which only it
 * checks); front ends use this to say so before sending.
 */
export const MIN_PASSWORD_LENGTH = 12;

export interface CreateUserRequest {
  username: string;
  /** Required, unless `serviceAccount`. */
  password?: string;
  /** A user with no password that acts only through API keys an admin creates for it. */
  serviceAccount?: boolean;
  role: BuiltinRole;
  emails?: string[];
}

/** Every field optional; at least one must be present. */
export interface UpdateUserRequest {
  role?: BuiltinRole;
  password?: string;
  emails?: string[];
}
