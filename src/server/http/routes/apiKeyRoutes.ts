import type { FastifyInstance } from 'fastify';
import type { ApiKeyScope } from '../../../core/policy/apiKeyScope';
import type {
  ApiKeyDto,
  ApiKeyListResponse,
  CreateApiKeyRequest,
  CreateApiKeyResponse,
} from '../../../shared/api/apiKeys';
import { auditActor } from '../../audit/auditActor';
import { actorOf, requestActor } from '../../auth/actorOf';
import { identityUser } from '../../auth/identity';
import { decideOrgAction } from '../../../core/policy/orgDecision';
import { newApiKeyToken } from '../../auth/apiKeyTokens';
import { isServiceAccount } from '../../auth/serviceAccounts';
import { normalizeUsername } from '../../../core/users/username';
import type { Identity } from '../../auth/identity';
import { STATIC_TOKEN_NOT_A_USER } from '../../reviews/reviewActor';
import type { StoredKeyScope } from '../../store/apiKeyRecords';
import { HttpError, invalidField, notFound } from '../httpError';
import { requireIdentity } from '../routeAccess';
import { apiKeyScopeSchema, apiKeySchema, idParamsSchema, usernameSchema } from '../schemas';
import type { ServerContext } from '../serverContext';
import { apiKeyDto } from '../toDto';
import { deniedBy } from '../../reviews/refusal';
import { throwIfRefused } from '../refusalResponse';

const DAY = 24 * 60 * 60 * 1000;
export const DEFAULT_API_KEY_LIFETIME_MS = 90 * DAY;
export const MAX_API_KEY_LIFETIME_MS = 366 * DAY;

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scope'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$' },
    scope: apiKeyScopeSchema,
    expiresAt: { type: 'string', format: 'date-time' },
    serviceAccount: usernameSchema,
  },
} as const;

const createResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'token'],
  properties: { key: apiKeySchema, token: { type: 'string' } },
} as const;

const listResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['keys'],
  properties: { keys: { type: 'array', items: apiKeySchema } },
} as const;

/** 403 unless the caller may manage API keys: decide() for a person, scope ∩ creator for a key. */
async function requireKeyManager(ctx: ServerContext, identity: Exclude<Identity, { kind: 'static-token' }>) {
  const { compiled } = await ctx.policies.current();
  const d = compiled.decide(actorOf(identity), 'apikey.manage', { kind: 'org' });
  throwIfRefused(deniedBy(d));
}

/**
 * A key that creates a key hands on at most what it holds: a narrower or equal scope
 * and no later expiry, so no key can mint a stronger one.
 */
function checkWithinParentKey(parent: ApiKeyScope, parentExpiresAt: number, scope: StoredKeyScope, expiresAt: number) {
  const beyond = (mine: readonly string[] | undefined, theirs: readonly string[] | undefined): boolean =>
    theirs !== undefined && (mine === undefined || mine.some((x) => !theirs.includes(x)));
  const extraActions = scope.actions.filter((a) => !parent.actions.includes(a));
  if (extraActions.length > 0) {
    throw new HttpError(
      403,
      'forbidden',
      `The API key \`${parent.name}\` cannot create a key with actions it lacks: ${extraActions.join(', ')}.`,
      'scope.actions',
    );
  }
  if (beyond(scope.workspaces, parent.workspaces)) {
    throw new HttpError(
      403,
      'forbidden',
      `A key created with the API key \`${parent.name}\` must stay within its workspaces.`,
      'scope.workspaces',
    );
  }
  if (beyond(scope.envs, parent.envs)) {
    throw new HttpError(
      403,
      'forbidden',
      `A key created with the API key \`${parent.name}\` must stay within its envs.`,
      'scope.envs',
    );
  }
  if (expiresAt > parentExpiresAt) {
    throw new HttpError(
      403,
      'forbidden',
      `A key created with the API key \`${parent.name}\` cannot outlive it.`,
      'expiresAt',
    );
  }
}

/**
 * The service account a key is made for: only someone who may manage users (an admin, or
 * an admin's key scoped to `user.manage`) gives a bot its keys, and only a service
 * account, never a person, can be the owner.
 */
async function serviceAccountFor(
  ctx: ServerContext,
  identity: Exclude<Identity, { kind: 'static-token' }>,
  typed: string,
): Promise<{ id: string; username: string }> {
  const { compiled } = await ctx.policies.current();
  const d = compiled.decide(actorOf(identity), 'user.manage', { kind: 'org' });
  throwIfRefused(deniedBy(d, 'Keys for service accounts are made by admins: '));
  const user = await ctx.store.getUserByUsername(normalizeUsername(typed));
  if (!user) throw invalidField('serviceAccount', `There is no user "${typed}".`);
  if (!isServiceAccount(user)) {
    throw invalidField('serviceAccount', `${user.username} is not a service account; people create their own keys.`);
  }
  return user;
}

function expiryOf(requested: string, now: number): number {
  const at = Date.parse(requested);
  if (!(at > now)) throw invalidField('expiresAt', 'expiresAt must be in the future.');
  if (at - now > MAX_API_KEY_LIFETIME_MS) throw invalidField('expiresAt', 'expiresAt must be within a year.');
  return at;
}

/**
 * `/api/api-keys`: create (needs `apikey.manage`), list (your own; admins see all) and
 * revoke (your own; admins any). The secret is returned once, by create, and only its
 * hash is stored.
 */
export function registerApiKeyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: CreateApiKeyRequest }>(
    '/api/api-keys',
    {
      config: {
        access: 'signed-in',
        keyAction: 'apikey.manage',
        summary:
          'Create an API key acting as you, limited to a scope (actions, workspaces, envs) and an expiry; the token is shown only in this response.',
        extraStatuses: [403],
      },
      schema: { body: createBody, response: { 201: createResponse } },
    },
    async (request, reply): Promise<CreateApiKeyResponse> => {
      const identity = requireIdentity(request.identity);
      if (identity.kind === 'static-token') throw new HttpError(403, 'not_a_user', STATIC_TOKEN_NOT_A_USER);
      await requireKeyManager(ctx, identity);
      const now = ctx.now();
      const { name, scope: requested } = request.body;
      const scope: StoredKeyScope = {
        actions: [...requested.actions],
        ...(requested.workspaces && { workspaces: [...requested.workspaces] }),
        ...(requested.envs && { envs: [...requested.envs] }),
      };
      // A key minting a key: by default the child ends when its parent does, if sooner.
      const latest = identity.kind === 'api-key' ? identity.key.expiresAt : Infinity;
      const expiresAt =
        request.body.expiresAt === undefined
          ? Math.min(now + DEFAULT_API_KEY_LIFETIME_MS, latest)
          : expiryOf(request.body.expiresAt, now);
      if (identity.kind === 'api-key') {
        checkWithinParentKey(identity.key.scope, identity.key.expiresAt, scope, expiresAt);
      }
      const owner =
        request.body.serviceAccount === undefined
          ? identity.user
          : await serviceAccountFor(ctx, identity, request.body.serviceAccount);
      const { id, token, secretHash } = newApiKeyToken();
      const record = {
        id,
        name,
        secretHash,
        userId: owner.id,
        scope,
        createdAt: now,
        expiresAt,
        lastUsedAt: null,
      };
      await ctx.store.createApiKey(record);
      const key = apiKeyDto({ ...record, createdBy: owner.username });
      await ctx.store.appendAudit({
        ...auditActor(identity, request),
        at: ctx.now(),
        action: 'apikey.create',
        targetType: 'apikey',
        targetId: id,
        before: null,
        after: { id, name, scope, expiresAt: key.expiresAt, createdBy: key.createdBy },
      });
      reply.code(201);
      return { key, token };
    },
  );

  app.get(
    '/api/api-keys',
    {
      config: {
        access: 'signed-in',
        keyAction: 'apikey.manage',
        summary: 'API keys: your own; admins see everyone’s. Never the secrets.',
      },
      schema: { response: { 200: listResponse } },
    },
    async (request): Promise<ApiKeyListResponse> => {
      const identity = requireIdentity(request.identity);
      if (identity.kind === 'api-key') await requireKeyManager(ctx, identity);
      // Everyone's keys for those who manage users.
      const keys = await ctx.store.listApiKeys(
        identity.kind === 'static-token' || decideOrgAction(requestActor(identity), 'user.manage').allowed
          ? undefined
          : identity.user.id,
      );
      return { keys: keys.map(apiKeyDto) };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/api-keys/:id',
    {
      config: {
        access: 'signed-in',
        keyAction: 'apikey.manage',
        summary: 'Revoke an API key (your own; admins any): it stops working on the next request.',
      },
      schema: { params: idParamsSchema },
    },
    async (request, reply) => {
      const identity = requireIdentity(request.identity);
      if (identity.kind === 'api-key') await requireKeyManager(ctx, identity);
      const found = await ctx.store.findApiKey(request.params.id);
      // Someone else's key does not exist for a non-admin: 404, as for an unknown id.
      const mayRevokeAny = decideOrgAction(requestActor(identity), 'user.manage').allowed;
      if (!found || (!mayRevokeAny && found.key.userId !== identityUser(identity)?.id)) throw notFound('API key');
      const deleted = await ctx.store.deleteApiKey(found.key.id);
      if (deleted) {
        const before: Pick<ApiKeyDto, 'id' | 'name' | 'scope' | 'createdBy'> = {
          id: deleted.id,
          name: deleted.name,
          scope: deleted.scope,
          createdBy: found.user.username,
        };
        await ctx.store.appendAudit({
          ...auditActor(identity, request),
          at: ctx.now(),
          action: 'apikey.revoke',
          targetType: 'apikey',
          targetId: deleted.id,
          before,
          after: null,
        });
      }
      return reply.code(204).send();
    },
  );
}
