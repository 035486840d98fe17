import type { FastifyRequest } from 'fastify';
import { API_KEY_PREFIX } from '../auth/apiKeyTokens';
import type { Identity } from '../auth/identity';
import type { NewAuditEntry } from '../store/auditRecords';

/** How the static token appears in the audit log: it is no user, but it did act. */
export const STATIC_TOKEN_ACTOR = 'PROMPTOPS_TOKEN';

/**
 * Actor, role and address of an audit entry for a request made by `identity`. A key's
 * actions are its creator's (so filtering by actor finds them) and the role says which
 * key acted: `editor via API key "ci" (pok_0123…)`.
 */
export function auditActor(
  identity: Identity,
  request: FastifyRequest,
): Pick<NewAuditEntry, 'actor' | 'actorRole' | 'address'> {
  if (identity.kind === 'static-token') {
    return { actor: STATIC_TOKEN_ACTOR, actorRole: identity.role, address: request.ip };
  }
  return {
    actor: identity.user.username,
    actorRole: identity.kind === 'api-key' ? apiKeyActorRole(identity.role, identity.key) : identity.role,
    address: request.ip,
  };
}

export function apiKeyActorRole(role: string, key: { id: string; scope: { name: string } }): string {
  return `${role} via API key ${JSON.stringify(key.scope.name)} (${API_KEY_PREFIX}${key.id})`;
}
