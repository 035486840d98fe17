import type { FastifyInstance } from 'fastify';
import type { AuditEntryDto, AuditListResponse, AuditQuery } from '../../../shared/api/audit';
import type { AuditRecord } from '../../store/auditRecords';
import { nextCursor, pageOf, pagingQueryProperties, timeParam } from '../paging';
import type { ServerContext } from '../serverContext';

const auditQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    actor: { type: 'string', maxLength: 128 },
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
  required: ['id', 'at', 'actor', 'actorRole', 'action', 'targetType', 'targetId', 'before', 'after', 'address'],
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
  };
}

/** `GET /api/audit` (admin): newest first, filtered, cursor-paged. There is no route that changes or removes an entry. */
export function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: Omit<AuditQuery, 'limit'> & { limit?: string } }>(
    '/api/audit',
    {
      config: {
        access: 'admin',
        summary:
          'The audit log, newest first: filter by actor, action (or `family.*`), since/until; page with `cursor`.',
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
        action: q.action,
        since: timeParam(q.since, 'since'),
        until: timeParam(q.until, 'until'),
        ...page,
      });
      return { entries: rows.map(auditEntryDto), nextCursor: nextCursor(rows, page.limit) };
    },
  );
}
