import type { FastifyInstance } from 'fastify';
import type { HealthResponse } from '../../../shared/api/health';
import { HttpError } from '../httpError';
import type { ServerContext } from '../serverContext';

const healthResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'database'],
  properties: { status: { type: 'string', enum: ['ok'] }, database: { type: 'string', enum: ['sqlite', 'postgres'] } },
} as const;

/** `GET /healthz`: no auth, for load balancers; 503 when the database does not answer. */
export function registerHealthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public', summary: 'Liveness and database reachability.', extraStatuses: [503] },
      schema: { response: { 200: healthResponse } },
    },
    async (): Promise<HealthResponse> => {
      try {
        await ctx.store.ping();
      } catch {
        throw new HttpError(503, 'unavailable', 'The database is not reachable.');
      }
      return { status: 'ok', database: ctx.store.dialect };
    },
  );
}
