import type { FastifyInstance } from 'fastify';
import { HttpError } from '../http/httpError';
import type { AuditAction, AuditTargetType } from '../store/auditRecords';
import type { Store } from '../store/store';
import { auditActor } from './auditActor';

/** Routes whose refusals are audited, with the action they would have been. */
const AUDITED_ROUTES: Record<string, { action: AuditAction; targetType: AuditTargetType }> = {
  'POST /api/users': { action: 'user.create', targetType: 'user' },
  'PATCH /api/users/:id': { action: 'user.update', targetType: 'user' },
  'DELETE /api/users/:id': { action: 'user.delete', targetType: 'user' },
  'POST /api/workspaces': { action: 'workspace.create', targetType: 'workspace' },
  'DELETE /api/workspaces/:id': { action: 'workspace.delete', targetType: 'workspace' },
  'PUT /api/policy': { action: 'policy.apply', targetType: 'policy' },
  'POST /api/reviews': { action: 'review.create', targetType: 'review' },
  'POST /api/reviews/:id/revisions': { action: 'review.revise', targetType: 'review' },
  'POST /api/reviews/:id/comments': { action: 'review.comment', targetType: 'review' },
  'POST /api/reviews/:id/approve': { action: 'review.approve', targetType: 'review' },
  'POST /api/reviews/:id/request-changes': { action: 'review.request_changes', targetType: 'review' },
  'POST /api/reviews/:id/withdraw': { action: 'review.withdraw', targetType: 'review' },
  'POST /api/reviews/:id/publish': { action: 'release.publish', targetType: 'review' },
  'POST /api/reviews/:id/delivery': { action: 'release.delivery', targetType: 'review' },
  'POST /api/releases/unpublish': { action: 'release.unpublish', targetType: 'release' },
  'POST /api/reviews/:id/evaluations': { action: 'review.evaluate', targetType: 'review' },
  // A key already registered to someone else (409) is worth knowing about: whose commits was that?
  'POST /api/users/me/signing-keys': { action: 'user.signing_key.add', targetType: 'user' },
  'DELETE /api/users/me/signing-keys/:fingerprint': { action: 'user.signing_key.remove', targetType: 'user' },
  'POST /api/users/:id/signing-keys': { action: 'user.signing_key.add', targetType: 'user' },
  'DELETE /api/users/:id/signing-keys/:fingerprint': { action: 'user.signing_key.remove', targetType: 'user' },
  'POST /api/api-keys': { action: 'apikey.create', targetType: 'apikey' },
  'DELETE /api/api-keys/:id': { action: 'apikey.revoke', targetType: 'apikey' },
  'POST /api/invites': { action: 'invite.create', targetType: 'invite' },
  'DELETE /api/invites/:id': { action: 'invite.revoke', targetType: 'invite' },
  'POST /api/keys/rotate': { action: 'server.key.rotate', targetType: 'server_key' },
};

/** Refusals worth keeping: not allowed (403), not there for the caller (404), conflicting state (409). */
const REFUSALS = new Set([403, 404, 409]);

/**
 * Records refused actions (who, what, the server's reason) in the audit log, whichever
 * layer refused them: the role check before the body is read, or the rule inside the
 * action. Never the request body (it may hold a password). Refused sign-ins are recorded
 * by the sign-in route itself.
 */
export function registerRefusalAudit(app: FastifyInstance, store: Store, now: () => number): void {
  app.addHook('onError', async (request, _reply, error) => {
    const route = AUDITED_ROUTES[`${request.method} ${request.routeOptions.url}`];
    if (!route || !request.identity || !(error instanceof HttpError) || !REFUSALS.has(error.statusCode)) return;
    const id = (request.params as { id?: unknown } | undefined)?.id;
    try {
      await store.appendAudit({
        ...auditActor(request.identity, request),
        at: now(),
        action: route.action,
        targetType: route.targetType,
        targetId: typeof id === 'string' ? id.slice(0, 64) : null,
        before: null,
        after: { status: error.statusCode, code: error.code },
        outcome: 'refused',
        reason: error.message,
      });
    } catch (err) {
      request.log.warn({ err }, 'could not record a refused action in the audit log');
    }
  });
}
