import type { FastifyRequest } from 'fastify';
import type { Identity } from '../auth/identity';
import type { NewAuditEntry } from '../store/auditRecords';

/** How the static token appears in the audit log: it is no user, but it did act. */
export const STATIC_TOKEN_ACTOR = 'PROMPTOPS_TOKEN';

/** Actor, role and address of an audit entry for a request made by `identity`. */
export function auditActor(
  identity: Identity,
  request: FastifyRequest,
): Pick<NewAuditEntry, 'actor' | 'actorRole' | 'address'> {
  return {
    actor: identity.kind === 'session' ? identity.user.username : STATIC_TOKEN_ACTOR,
    actorRole: identity.role,
    address: request.ip,
  };
}
