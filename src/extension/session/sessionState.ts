import type { AuthMethod } from '../../shared/api/auth';
import type { BuiltinRole } from '../../core/policy/actions';
import type { ApiKeyScope } from '../../core/policy/apiKeyScope';

/** Who the server says I am. */
export interface SignedInUser {
  /** The username; for the static admin token, which is no user, `PROMPTOPS_TOKEN`. */
  username: string;
  /** Null for the static token. */
  userId: string | null;
  role: BuiltinRole;
  authMethod: AuthMethod;
  serverUrl: string;
  /** Signed in with an API key: its scope, which every local decision applies too. */
  apiKey?: ApiKeyScope;
}

export type SessionState =
  | { kind: 'signedOut'; serverUrl: string | undefined }
  | { kind: 'signedIn'; user: SignedInUser }
  /** A stored token, but the server did not answer: the last known identity, read-only. */
  | { kind: 'offline'; user: SignedInUser; error: string };

export const STATIC_TOKEN_USERNAME = 'PROMPTOPS_TOKEN';
