import type { BuiltinRole } from '../../core/policy/actions';
import type { ApiKeyScope } from '../../core/policy/apiKeyScope';
import type { SessionUser } from '../store/records';

/** An API key as a request carries it: its id and scope (`scope.name` is the key's name). */
export interface ApiKeyIdentity {
  id: string;
  scope: ApiKeyScope;
  expiresAt: number;
}

/**
 * Who made a request, as re-read from the store for this very request. An API key acts
 * as its creator (`user`, with their current role) limited to the key's scope.
 */
export type Identity =
  | { kind: 'static-token'; role: 'admin' }
  | { kind: 'session'; role: BuiltinRole; user: SessionUser; tokenHash: string }
  | { kind: 'api-key'; role: BuiltinRole; user: SessionUser; key: ApiKeyIdentity };

/** The user behind a request: the signed-in user or a key's creator; undefined for the static token. */
export function identityUser(identity: Identity): SessionUser | undefined {
  return identity.kind === 'static-token' ? undefined : identity.user;
}

/** The name recorded as creator/actor: the username (a key's creator), or null for the static token. */
export function actorName(identity: Identity): string | null {
  return identityUser(identity)?.username ?? null;
}
