import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseSshSigningKey } from '../../../core/release/sshSigningKey';
import type { AddSigningKeyRequest, SigningKeyDto, SigningKeyListResponse } from '../../../shared/api/signingKeys';
import { auditActor } from '../../audit/auditActor';
import type { SigningKeyRecord } from '../../store/records';
import { HttpError, invalidField, notFound } from '../httpError';
import { requireIdentity } from '../routeAccess';
import { idParamsSchema } from '../schemas';
import type { ServerContext } from '../serverContext';

const keySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['fingerprint', 'publicKey', 'comment', 'createdAt'],
  properties: {
    fingerprint: { type: 'string' },
    publicKey: { type: 'string' },
    comment: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

const listResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['keys'],
  properties: { keys: { type: 'array', items: keySchema } },
} as const;

const addBody = {
  type: 'object',
  additionalProperties: false,
  required: ['publicKey'],
  properties: { publicKey: { type: 'string', maxLength: 8192 } },
} as const;

// A fingerprint holds `/` and `+`: clients send it percent-encoded in one path segment.
const fingerprintParam = { type: 'string', pattern: '^SHA256:[A-Za-z0-9+/]{43}$' } as const;
const ownKeyParams = {
  type: 'object',
  additionalProperties: false,
  required: ['fingerprint'],
  properties: { fingerprint: fingerprintParam },
} as const;
const userKeyParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'fingerprint'],
  properties: { id: idParamsSchema.properties.id, fingerprint: fingerprintParam },
} as const;

function keyDto(k: SigningKeyRecord): SigningKeyDto {
  return {
    fingerprint: k.fingerprint,
    publicKey: k.publicKey,
    comment: k.comment,
    createdAt: new Date(k.createdAt).toISOString(),
  };
}

/**
 * SSH commit-signing keys: `/api/users/me/signing-keys` for the signed-in user (any role:
 * a viewer's commits are judged too), `/api/users/:id/signing-keys` for an admin managing
 * anyone's (a release bot's, say). Every change is audited; the next user directory
 * (`GET /api/directory`) carries the keys.
 */
export function registerSigningKeyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  /** The signed-in user's id; the static token has no keys of its own. */
  const me = (request: FastifyRequest): string => {
    const identity = requireIdentity(request.identity);
    if (identity.kind !== 'session')
      throw new HttpError(
        403,
        'not_a_user',
        'The static token (PROMPTOPS_TOKEN) is not a user and signs no commits: sign in as the user (promptops login), or as an admin use /api/users/:id/signing-keys.',
      );
    return identity.user.id;
  };
  const existingUser = async (id: string): Promise<string> => {
    if (!(await ctx.store.getUserById(id))) throw notFound('User');
    return id;
  };

  const list = async (userId: string): Promise<SigningKeyListResponse> => ({
    keys: (await ctx.store.listSigningKeys(userId)).map(keyDto),
  });
  const add = async (request: FastifyRequest<{ Body: AddSigningKeyRequest }>, userId: string) => {
    const parsed = parseSshSigningKey(request.body.publicKey);
    if (!('key' in parsed)) throw invalidField('publicKey', `Not an SSH signing key: ${parsed.problem}.`);
    const record = await ctx.store.addSigningKey({ ...parsed.key, userId, createdAt: ctx.now() });
    await ctx.store.appendAudit({
      ...auditActor(requireIdentity(request.identity), request),
      at: ctx.now(),
      action: 'user.signing_key.add',
      targetType: 'user',
      targetId: userId,
      before: null,
      after: { fingerprint: record.fingerprint, publicKey: record.publicKey, comment: record.comment },
    });
    return keyDto(record);
  };
  const remove = async (request: FastifyRequest, userId: string, fingerprint: string) => {
    const removed = await ctx.store.removeSigningKey(userId, fingerprint);
    if (!removed) throw notFound('Signing key');
    await ctx.store.appendAudit({
      ...auditActor(requireIdentity(request.identity), request),
      at: ctx.now(),
      action: 'user.signing_key.remove',
      targetType: 'user',
      targetId: userId,
      before: { fingerprint: removed.fingerprint, publicKey: removed.publicKey, comment: removed.comment },
      after: null,
    });
  };

  app.get(
    '/api/users/me/signing-keys',
    {
      config: { access: 'signed-in', summary: 'Your SSH commit-signing keys.' },
      schema: { response: { 200: listResponse } },
    },
    async (request) => list(me(request)),
  );
  app.post<{ Body: AddSigningKeyRequest }>(
    '/api/users/me/signing-keys',
    {
      config: {
        access: 'signed-in',
        summary: 'Register an SSH commit-signing key (one line of a .pub file) as yours.',
        extraStatuses: [409],
      },
      schema: { body: addBody, response: { 201: keySchema } },
    },
    async (request, reply) => {
      const dto = await add(request, me(request));
      reply.code(201);
      return dto;
    },
  );
  app.delete<{ Params: { fingerprint: string } }>(
    '/api/users/me/signing-keys/:fingerprint',
    {
      config: { access: 'signed-in', summary: 'Remove one of your signing keys; commits it signs stop counting.' },
      schema: { params: ownKeyParams },
    },
    async (request, reply) => {
      await remove(request, me(request), request.params.fingerprint);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/users/:id/signing-keys',
    {
      config: { access: 'user.manage', summary: 'A user’s SSH commit-signing keys.' },
      schema: { params: idParamsSchema, response: { 200: listResponse } },
    },
    async (request) => list(await existingUser(request.params.id)),
  );
  app.post<{ Params: { id: string }; Body: AddSigningKeyRequest }>(
    '/api/users/:id/signing-keys',
    {
      config: {
        access: 'user.manage',
        summary: 'Register an SSH commit-signing key for a user (e.g. a release bot).',
        extraStatuses: [409],
      },
      schema: { params: idParamsSchema, body: addBody, response: { 201: keySchema } },
    },
    async (request, reply) => {
      const dto = await add(request, await existingUser(request.params.id));
      reply.code(201);
      return dto;
    },
  );
  app.delete<{ Params: { id: string; fingerprint: string } }>(
    '/api/users/:id/signing-keys/:fingerprint',
    {
      config: { access: 'user.manage', summary: 'Remove a user’s signing key.' },
      schema: { params: userKeyParams },
    },
    async (request, reply) => {
      await remove(request, await existingUser(request.params.id), request.params.fingerprint);
      return reply.code(204).send();
    },
  );
}
