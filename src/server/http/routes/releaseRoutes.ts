import type { FastifyInstance } from 'fastify';
import type { ReleaseListQuery, ReleaseListResponse } from '../../../shared/api/releases';
import { hiddenWorkspaces, mayRead, readerOf, releaseResource } from '../../reviews/readAccess';
import { releaseDto } from '../../reviews/reviewDto';
import { requireIdentity } from '../routeAccess';
import { nextCursor, pageOf, pagingQueryProperties } from '../paging';
import { releaseSchema } from '../reviewSchemas';
import type { ServerContext } from '../serverContext';

const releaseQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: { type: 'string', maxLength: 1024 },
    env: { type: 'string', maxLength: 64 },
    workspace: { type: 'string', maxLength: 128 },
    reviewId: { type: 'string', pattern: '^[0-9]{1,15}$' },
    ...pagingQueryProperties,
  },
} as const;

/** `GET /api/releases` (viewer): signed release records, newest first. */
export function registerReleaseRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: Omit<ReleaseListQuery, 'limit'> & { limit?: string } }>(
    '/api/releases',
    {
      config: {
        access: 'viewer',
        keyAction: 'prompt.read',
        summary:
          'Signed releases the caller may read (prompt.read), newest first; filter by path, env, workspace, reviewId.',
      },
      schema: {
        querystring: releaseQuery,
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['releases', 'nextCursor'],
            properties: {
              releases: {
                type: 'array',
                items: {
                  ...releaseSchema,
                  required: [...releaseSchema.required, 'id'],
                  properties: { ...releaseSchema.properties, id: { type: 'string' } },
                },
              },
              nextCursor: { type: ['string', 'null'] },
            },
          },
        },
      },
    },
    async (request): Promise<ReleaseListResponse> => {
      const q = request.query;
      const page = pageOf(q);
      const policy = await ctx.policies.current();
      const reader = readerOf(requireIdentity(request.identity));
      const rows = await ctx.store.listReleases({
        path: q.path,
        env: q.env,
        workspace: q.workspace,
        reviewId: q.reviewId,
        hiddenWorkspaces: hiddenWorkspaces(policy, reader),
        ...page,
      });
      // SQL left out unreadable workspaces; this drops only rows placed under an older access file.
      const readable = rows.filter((r) => mayRead(policy, reader, releaseResource(r)));
      return { releases: readable.map(releaseDto), nextCursor: nextCursor(rows, page.limit) };
    },
  );
}
