import type { Actor } from '../../core/policy/decision';
import { STATIC_TOKEN_ACTOR } from '../audit/auditActor';
import type { Identity } from './identity';

/**
 * The policy's actor for a user's request: their name and current role, and for an API
 * key also its scope, which decide() intersects with the user's own rights.
 */
export function actorOf(identity: Exclude<Identity, { kind: 'static-token' }>): Actor {
  const actor: Actor = { username: identity.user.username, role: identity.role };
  if (identity.kind === 'api-key') actor.apiKey = identity.key.scope;
  return actor;
}

/** The actor for any request: the static token is an admin token (the seed) under its audit name. */
export function requestActor(identity: Identity): Actor {
  if (identity.kind === 'static-token') return { username: STATIC_TOKEN_ACTOR, role: identity.role };
  return actorOf(identity);
}
