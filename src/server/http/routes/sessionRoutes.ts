import type { FastifyInstance } from 'fastify';
import { requestActor } from '../../auth/actorOf';
import { decideOrgAction } from '../../../core/policy/orgDecision';
import type { LoginRequest, LoginResponse, MeResponse } from '../../../shared/api/auth';
import { auditActor } from '../../audit/auditActor';
import { HttpError } from '../httpError';
import { requireIdentity } from '../routeAccess';
import { apiKeySchema, roleSchema, userSchema } from '../schemas';
import type { ServerContext } from '../serverContext';
import { apiKeyDto, userDto } from '../toDto';

const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 128 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const;

const loginResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'expiresAt', 'user'],
  properties: { token: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' }, user: userSchema },
} as const;

const meResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['user', 'role', 'authMethod'],
  properties: {
    // A nullable object rather than anyOf: fast-json-stringify serialises anyOf by validating each branch.
    user: { ...userSchema, type: ['object', 'null'] },
    role: roleSchema,
    authMethod: { type: 'string', enum: ['session', 'static-token', 'api-key'] },
    apiKey: apiKeySchema,
    warnings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'message'],
        properties: { code: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

/** `POST /api/login`, `POST /api/logout`, `GET /api/me`. */
export function registerSessionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: LoginRequest }>(
    '/api/login',
    {
      config: {
        access: 'public',
        summary: 'Sign in with username and password; returns a session token.',
        extraStatuses: [401, 429],
      },
      schema: { body: loginBody, response: { 200: loginResponse } },
    },
    async (request): Promise<LoginResponse> => {
      const { username, password } = request.body;
      const result = await ctx.signIn.attempt(username, password, request.ip);
      const at = ctx.now();
      if (result.kind === 'ok') {
        await ctx.store.appendAudit({
          at,
          actor: result.user.username,
          actorRole: result.user.role,
          address: request.ip,
          action: 'session.login',
          targetType: 'session',
          targetId: result.user.id,
          before: null,
          after: { expiresAt: new Date(result.expiresAt).toISOString() },
        });
      } else {
        // The name as typed: it may be no user at all, which is worth seeing too.
        await ctx.store.appendAudit({
          at,
          actor: username.slice(0, 128),
          actorRole: null,
          address: request.ip,
          action: 'session.login_failed',
          targetType: 'session',
          targetId: null,
          before: null,
          after: { outcome: result.kind },
          outcome: 'refused',
          reason: result.kind === 'throttled' ? 'Too many failed sign-ins (throttled).' : 'Wrong username or password.',
        });
      }
      if (result.kind === 'throttled') {
        const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
        throw new HttpError(
          429,
          'too_many_requests',
          `Too many failed sign-ins. Try again in ${seconds} s.`,
          undefined,
          {
            'retry-after': String(seconds),
          },
        );
      }
      if (result.kind === 'invalid') {
        // Same words for an unknown user and a wrong password.
        throw new HttpError(401, 'invalid_credentials', 'Invalid username or password.');
      }
      return { token: result.token, expiresAt: new Date(result.expiresAt).toISOString(), user: userDto(result.user) };
    },
  );

  app.post(
    '/api/logout',
    {
      config: {
        access: 'signed-in',
        summary: 'End this session (the token stops working). A no-op for the static token.',
      },
    },
    async (request, reply) => {
      const identity = requireIdentity(request.identity);
      if (identity.kind === 'session') {
        await ctx.store.deleteSession(identity.tokenHash);
        await ctx.store.appendAudit({
          ...auditActor(identity, request),
          at: ctx.now(),
          action: 'session.logout',
          targetType: 'session',
          targetId: identity.user.id,
          before: null,
          after: null,
        });
      }
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/me',
    {
      config: {
        access: 'signed-in',
        keyAction: 'any',
        summary:
          'The caller: user, role, how they signed in (an API key: the key, acting as its creator); admins also get security warnings.',
      },
      schema: { response: { 200: meResponse } },
    },
    async (request): Promise<MeResponse> => {
      const identity = requireIdentity(request.identity);
      const me: MeResponse =
        identity.kind === 'static-token'
          ? { user: null, role: 'admin', authMethod: 'static-token' }
          : { user: userDto(identity.user), role: identity.role, authMethod: identity.kind };
      if (identity.kind === 'api-key') {
        const key = await ctx.store.findApiKey(identity.key.id);
        if (key) me.apiKey = apiKeyDto({ ...key.key, createdBy: key.user.username });
      }
      if (decideOrgAction(requestActor(identity), 'user.manage').allowed)
        me.warnings = await ctx.credentialWarnings.current();
      return me;
    },
  );
}
