import type { Actor } from '../../core/policy/decision';
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
