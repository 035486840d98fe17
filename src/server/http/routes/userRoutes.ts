import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { normalizeUsername } from '../../../core/users/username';
import { keepsAnAdmin } from '../../../core/users/lastAdmin';
import type { CreateUserRequest, UpdateUserRequest, UserDto } from '../../../shared/api/users';
import { auditActor } from '../../audit/auditActor';
import { auditedUser } from '../../audit/auditedUser';
import { hashPassword } from '../../auth/passwordHashing';
import { passwordProblem } from '../../auth/passwordPolicy';
import { isServiceAccount, NO_PASSWORD } from '../../auth/serviceAccounts';
import type { UserPatch } from '../../store/records';
import { HttpError, invalidField, notFound } from '../httpError';
import { requireIdentity } from '../routeAccess';
import { emailsSchema, idParamsSchema, passwordSchema, roleSchema, userSchema, usernameSchema } from '../schemas';
import type { ServerContext } from '../serverContext';
import { userDto } from '../toDto';

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'role'],
  properties: {
    username: usernameSchema,
    password: passwordSchema,
    role: roleSchema,
    emails: emailsSchema,
    serviceAccount: { type: 'boolean', description: 'A user with no password, acting only through API keys.' },
  },
} as const;

const updateBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { role: roleSchema, password: passwordSchema, emails: emailsSchema },
} as const;

const listResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['users'],
  properties: { users: { type: 'array', items: userSchema } },
} as const;

const lastAdmin = (field?: string): HttpError =>
  new HttpError(409, 'last_admin', 'This is the last admin; make another user admin first.', field);

function checkPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw invalidField('password', problem);
}

/** `/api/users…`: admin only (the seed's "User management"). */
export function registerUserRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/api/users',
    {
      config: { access: 'user.manage', keyAction: 'user.manage', summary: 'List users.' },
      schema: { response: { 200: listResponse } },
    },
    async (): Promise<{ users: UserDto[] }> => ({ users: (await ctx.store.listUsers()).map(userDto) }),
  );

  app.post<{ Body: CreateUserRequest }>(
    '/api/users',
    {
      config: { access: 'user.manage', keyAction: 'user.manage', summary: 'Create a user.', extraStatuses: [409] },
      schema: { body: createBody, response: { 201: userSchema } },
    },
    async (request, reply): Promise<UserDto> => {
      const { password, role, emails = [], serviceAccount = false } = request.body;
      // Stored as normalised, so every store, sign-in and the throttle agree on the name.
      const username = normalizeUsername(request.body.username);
      if (serviceAccount && password !== undefined) {
        throw invalidField('password', 'A service account has no password; it acts through API keys.');
      }
      if (!serviceAccount && password === undefined) throw invalidField('password', 'A password is required.');
      if (password !== undefined) checkPassword(password, username);
      const user = await ctx.store.createUser({
        id: randomUUID(),
        username,
        passwordHash: password === undefined ? NO_PASSWORD : await hashPassword(password),
        role,
        emails,
        defaultPassword: false,
        now: ctx.now(),
      });
      await ctx.store.appendAudit({
        ...auditActor(requireIdentity(request.identity), request),
        at: ctx.now(),
        action: 'user.create',
        targetType: 'user',
        targetId: user.id,
        before: null,
        after: auditedUser(user),
      });
      reply.code(201);
      return userDto(user);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/users/:id',
    {
      config: { access: 'user.manage', keyAction: 'user.manage', summary: 'One user.' },
      schema: { params: idParamsSchema, response: { 200: userSchema } },
    },
    async (request): Promise<UserDto> => {
      const user = await ctx.store.getUserById(request.params.id);
      if (!user) throw notFound('User');
      return userDto(user);
    },
  );

  app.patch<{ Params: { id: string }; Body: UpdateUserRequest }>(
    '/api/users/:id',
    {
      config: {
        access: 'user.manage',
        keyAction: 'user.manage',
        summary:
          'Change a user’s role, password or git emails. Takes effect on their next request; a new password ends their other sessions.',
        extraStatuses: [409],
      },
      schema: { params: idParamsSchema, body: updateBody, response: { 200: userSchema } },
    },
    async (request): Promise<UserDto> => {
      const { role, password, emails } = request.body;
      const patch: UserPatch = { role, emails };
      const existing = await ctx.store.getUserById(request.params.id);
      if (!existing) throw notFound('User');
      if (password !== undefined) {
        if (isServiceAccount(existing)) {
          throw invalidField('password', `${existing.username} is a service account: it has no password.`);
        }
        checkPassword(password, existing.username);
        patch.passwordHash = await hashPassword(password);
        // Whoever knew the old password is signed out; an admin changing their own keeps this session.
        const identity = requireIdentity(request.identity);
        if (identity.kind === 'session') patch.keepSession = identity.tokenHash;
      }
      const result = await ctx.store.updateUser(request.params.id, patch, ctx.now(), keepsAnAdmin);
      if (result.status === 'not_found') throw notFound('User');
      if (result.status === 'last_admin') throw lastAdmin('role');
      await ctx.store.appendAudit({
        ...auditActor(requireIdentity(request.identity), request),
        at: ctx.now(),
        action: 'user.update',
        targetType: 'user',
        targetId: existing.id,
        before: auditedUser(existing),
        after: { ...auditedUser(result.value), passwordChanged: password !== undefined },
      });
      return userDto(result.value);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/users/:id',
    {
      config: {
        access: 'user.manage',
        keyAction: 'user.manage',
        summary: 'Remove a user; their sessions stop working at once.',
        extraStatuses: [409],
      },
      schema: { params: idParamsSchema },
    },
    async (request, reply) => {
      const existing = await ctx.store.getUserById(request.params.id);
      const result = await ctx.store.deleteUser(request.params.id, keepsAnAdmin);
      if (result.status === 'not_found' || !existing) throw notFound('User');
      if (result.status === 'last_admin') throw lastAdmin();
      await ctx.store.appendAudit({
        ...auditActor(requireIdentity(request.identity), request),
        at: ctx.now(),
        action: 'user.delete',
        targetType: 'user',
        targetId: existing.id,
        before: auditedUser(existing),
        after: null,
      });
      return reply.code(204).send();
    },
  );
}
