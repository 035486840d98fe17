import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { CreateWorkspaceRequest, WorkspaceDto } from '../../../shared/api/workspaces';
import { auditActor } from '../../audit/auditActor';
import { actorName } from '../../auth/identity';
import { HttpError, notFound } from '../httpError';
import { requireIdentity } from '../routeAccess';
import { idParamsSchema, workspaceNameSchema, workspaceSchema } from '../schemas';
import type { ServerContext } from '../serverContext';
import { workspaceDto } from '../toDto';

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: workspaceNameSchema },
} as const;

const listResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['workspaces'],
  properties: { workspaces: { type: 'array', items: workspaceSchema } },
} as const;

/** `GET`/`POST /api/workspaces` (viewer/editor), `DELETE /api/workspaces/:id` (admin). */
export function registerWorkspaceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/api/workspaces',
    {
      config: { access: 'viewer', keyAction: 'prompt.read', summary: 'List workspaces; `default` first.' },
      schema: { response: { 200: listResponse } },
    },
    async (): Promise<{ workspaces: WorkspaceDto[] }> => ({
      workspaces: (await ctx.store.listWorkspaces()).map(workspaceDto),
    }),
  );

  app.post<{ Body: CreateWorkspaceRequest }>(
    '/api/workspaces',
    {
      config: {
        access: 'editor',
        keyAction: 'workspace.create',
        summary: 'Create a workspace (names are unique, case-insensitive).',
        extraStatuses: [409],
      },
      schema: { body: createBody, response: { 201: workspaceSchema } },
    },
    async (request, reply): Promise<WorkspaceDto> => {
      const identity = requireIdentity(request.identity);
      const workspace = await ctx.store.createWorkspace({
        id: randomUUID(),
        name: request.body.name,
        createdBy: actorName(identity),
        now: ctx.now(),
      });
      await ctx.store.appendAudit({
        ...auditActor(identity, request),
        at: ctx.now(),
        action: 'workspace.create',
        targetType: 'workspace',
        targetId: workspace.id,
        before: null,
        after: { id: workspace.id, name: workspace.name },
      });
      reply.code(201);
      return workspaceDto(workspace);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/workspaces/:id',
    {
      config: {
        access: 'admin',
        keyAction: 'workspace.delete',
        summary: 'Delete a workspace. Its resources are kept and belong to no workspace. `default` cannot be deleted.',
        extraStatuses: [409],
      },
      schema: { params: idParamsSchema },
    },
    async (request, reply) => {
      const workspace = await ctx.store.getWorkspace(request.params.id);
      if (!workspace) throw notFound('Workspace');
      if (workspace.builtin) {
        throw new HttpError(409, 'builtin_workspace', 'The built-in default workspace cannot be deleted.', 'id');
      }
      // Deleted by someone else in between: the outcome they wanted has happened.
      if (await ctx.store.deleteWorkspace(workspace.id)) {
        await ctx.store.appendAudit({
          ...auditActor(requireIdentity(request.identity), request),
          at: ctx.now(),
          action: 'workspace.delete',
          targetType: 'workspace',
          targetId: workspace.id,
          before: { id: workspace.id, name: workspace.name },
          after: null,
        });
      }
      return reply.code(204).send();
    },
  );
}
