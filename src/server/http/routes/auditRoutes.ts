import type { FastifyInstance } from 'fastify';
import type { AuditCheckpointsResponse, AuditEntryDto, AuditListResponse, AuditQuery } from '../../../shared/api/audit';
import { checkpointAudit } from '../../audit/auditCheckpoints';
import type { AuditRecord } from '../../store/auditRecords';
import { cutPage, pageOf, pagingQueryProperties, storeBounds, timeParam } from '../paging';
import type { ServerContext } from '../serverContext';

const auditQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    actor: { type: 'string', maxLength: 128 },
    outcome: { type: 'string', enum: ['done', 'refused'] },
    action: {
      type: 'string',
      pattern: '^[a-z_]+(\\.([a-z_]+|\\*))?$',
      description: 'e.g. `review.approve`, or a family: `review.*`.',
    },
    since: { type: 'string', maxLength: 40, description: 'ISO 8601, inclusive.' },
    until: { type: 'string', maxLength: 40, description: 'ISO 8601, exclusive.' },
    ...pagingQueryProperties,
  },
} as const;

const jsonValue = { description: 'Any JSON value.' } as const;

const entrySchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'at',
    'actor',
    'actorRole',
    'action',
    'targetType',
    'targetId',
    'before',
    'after',
    'address',
    'outcome',
    'reason',
    'prevHash',
    'hash',
  ],
  properties: {
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    actor: { type: ['string', 'null'] },
    actorRole: { type: ['string', 'null'] },
    action: { type: 'string' },
    targetType: { type: 'string' },
    targetId: { type: ['string', 'null'] },
    before: jsonValue,
    after: jsonValue,
    address: { type: ['string', 'null'] },
    outcome: { type: 'string', enum: ['done', 'refused'] },
    reason: { type: ['string', 'null'] },
    prevHash: { type: ['string', 'null'] },
    hash: { type: ['string', 'null'] },
  },
} as const;

const checkpointSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['entryId', 'hash', 'at', 'keyId', 'signature'],
  properties: {
    entryId: { type: 'string' },
    hash: { type: 'string' },
    at: { type: 'number' },
    keyId: { type: 'string' },
    signature: { type: 'string' },
  },
} as const;

function auditEntryDto(r: AuditRecord): AuditEntryDto {
  return {
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    actorRole: r.actorRole,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    before: r.before,
    after: r.after,
    address: r.address,
    outcome: r.outcome,
    reason: r.reason,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

/** `GET /api/audit` (admin): newest first, filtered, cursor-paged. There is no route that changes or removes an entry. */
export function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: Omit<AuditQuery, 'limit'> & { limit?: string } }>(
    '/api/audit',
    {
      config: {
        access: 'user.manage',
        summary:
          'The audit log, newest first, refused actions included (outcome, reason), each entry chained to the one before by sha256: filter by actor, action (or `family.*`), outcome, since/until; page with `cursor`.',
      },
      schema: {
        querystring: auditQuery,
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['entries', 'nextCursor'],
            properties: { entries: { type: 'array', items: entrySchema }, nextCursor: { type: ['string', 'null'] } },
          },
        },
      },
    },
    async (request): Promise<AuditListResponse> => {
      const q = request.query;
      const page = pageOf(q);
      const rows = await ctx.store.listAudit({
        actor: q.actor,
        outcome: q.outcome,
        action: q.action,
        since: timeParam(q.since, 'since'),
        until: timeParam(q.until, 'until'),
        ...storeBounds(page),
      });
      const { rows: entries, nextCursor } = cutPage(rows, page, (r) => r.id);
      return { entries: entries.map(auditEntryDto), nextCursor };
    },
  );

  app.get(
    '/api/audit/checkpoints',
    {
      config: {
        access: 'user.manage',
        summary:
          'Signed checkpoints of the audit chain (Ed25519, the release key), oldest first; signs the tail first when it moved. With the entries, what `promptops audit verify` checks offline.',
      },
      schema: {
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['checkpoints'],
            properties: { checkpoints: { type: 'array', items: checkpointSchema } },
          },
        },
      },
    },
    async (): Promise<AuditCheckpointsResponse> => {
      await checkpointAudit(ctx.store, await ctx.signingKeys.signingKey(), ctx.now());
      return { checkpoints: await ctx.store.listAuditCheckpoints() };
    },
  );
}
