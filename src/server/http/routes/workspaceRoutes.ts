import { randomUUID } from 'node:crypto';
import { requestActor } from '../../auth/actorOf';
import { decideOrgAction } from '../../../core/policy/orgDecision';
import type { FastifyInstance } from 'fastify';
import { workspaceBinding } from '../../../core/access/workspaceBinding';
import type {
  CreateWorkspaceRequest,
  CreateWorkspaceResponse,
  WorkspaceListResponse,
} from '../../../shared/api/workspaces';
import { auditActor } from '../../audit/auditActor';
import { actorName } from '../../auth/identity';
import { HttpError, notFound } from '../httpError';
import { requireIdentity } from '../routeAccess';
import { workspaceNameSchema, workspaceSchema } from '../schemas';
import type { ServerContext } from '../serverContext';
import { workspaceDto } from '../toDto';

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: workspaceNameSchema },
} as const;

const str = { type: 'string' } as const;
const createResponse = {
  ...workspaceSchema,
  required: [...workspaceSchema.required, 'binding'],
  properties: {
    ...workspaceSchema.properties,
    binding: {
      type: 'object',
      additionalProperties: false,
      required: ['file', 'snippet', 'next'],
      properties: { file: str, snippet: str, next: str },
    },
  },
} as const;

const deletedWorkspaceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'deletedBy', 'deletedAt'],
  properties: {
    name: { type: 'string' },
    deletedBy: { type: ['string', 'null'] },
    deletedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const listResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['workspaces', 'deleted'],
  properties: {
    workspaces: { type: 'array', items: workspaceSchema },
    deleted: { type: 'array', items: deletedWorkspaceSchema },
  },
} as const;

/** Workspace ids are uuids (or `default`); a name is accepted too, as people know workspaces by name. */
const idOrNameParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: workspaceNameSchema },
} as const;

/**
 * `GET`/`POST /api/workspaces` (viewer/editor), `DELETE /api/workspaces/:id` (admin). A deleted
 * workspace leaves a tombstone: it grants nothing and applying an access file does not bring it
 * back; re-creating it (POST with its name) is for admins only. See docs/access-model.md.
 */
export function registerWorkspaceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/api/workspaces',
    {
      config: {
        access: 'signed-in',
        keyAction: 'prompt.read',
        summary:
          'List workspaces; `default` first. `deleted` lists those deleted through the API: they grant nothing even while the access file declares them.',
      },
      schema: { response: { 200: listResponse } },
    },
    async (): Promise<WorkspaceListResponse> => ({
      workspaces: (await ctx.store.listWorkspaces()).map(workspaceDto),
      deleted: (await ctx.store.listDeletedWorkspaces()).map((d) => ({
        name: d.name,
        deletedBy: d.deletedBy,
        deletedAt: new Date(d.deletedAt).toISOString(),
      })),
    }),
  );

  app.post<{ Body: CreateWorkspaceRequest }>(
    '/api/workspaces',
    {
      config: {
        access: 'workspace.create',
        keyAction: 'workspace.create',
        summary:
          "Create a workspace (names are unique, case-insensitive); the answer's `binding` is the access-file entry that binds people to it (with the creator as editor). Re-creating one deleted through the API is for admins: it lifts the tombstone, and the access file binds people there again.",
        extraStatuses: [409],
      },
      schema: { body: createBody, response: { 201: createResponse } },
    },
    async (request, reply): Promise<CreateWorkspaceResponse> => {
      const identity = requireIdentity(request.identity);
      const key = request.body.name.toLowerCase();
      const tombstone = (await ctx.store.listDeletedWorkspaces()).find((d) => d.name.toLowerCase() === key);
      if (tombstone && !decideOrgAction(requestActor(identity), 'workspace.delete').allowed) {
        throw new HttpError(
          403,
          'workspace_deleted',
          `Workspace \`${tombstone.name}\` was deleted by ${tombstone.deletedBy ?? 'the static token'}; only an admin may re-create it (its access-file bindings would apply again).`,
          'name',
        );
      }
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
        after: { id: workspace.id, name: workspace.name, ...(tombstone ? { recreated: true } : {}) },
      });
      reply.code(201);
      return { ...workspaceDto(workspace), binding: workspaceBinding(workspace.name, workspace.createdBy) };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/workspaces/:id',
    {
      config: {
        access: 'workspace.delete',
        keyAction: 'workspace.delete',
        summary:
          'Delete a workspace (by id or name). Its resources are kept and fall to `default`, as a prompt in no workspace does; it grants nothing at once and stays deleted (applying an access file that declares it does not bring it back) until an admin re-creates it. `default` cannot be deleted.',
        extraStatuses: [409],
      },
      schema: { params: idOrNameParams },
    },
    async (request, reply) => {
      const idOrName = request.params.id;
      const workspace =
        (await ctx.store.getWorkspace(idOrName)) ??
        (await ctx.store.listWorkspaces()).find((w) => w.name.toLowerCase() === idOrName.toLowerCase());
      if (!workspace) throw notFound('Workspace');
      if (workspace.builtin) {
        throw new HttpError(409, 'builtin_workspace', 'The built-in default workspace cannot be deleted.', 'id');
      }
      // Deleted by someone else in between: the outcome they wanted has happened.
      const identity = requireIdentity(request.identity);
      if (await ctx.store.deleteWorkspace(workspace.id, actorName(identity), ctx.now())) {
        await ctx.store.appendAudit({
          ...auditActor(identity, request),
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
