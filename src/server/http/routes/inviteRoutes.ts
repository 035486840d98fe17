import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { normalizeUsername } from '../../../core/users/username';
import type {
  AcceptInviteRequest,
  AcceptInviteResponse,
  CreateInviteRequest,
  CreateInviteResponse,
  InviteListResponse,
} from '../../../shared/api/invites';
import { auditActor, STATIC_TOKEN_ACTOR } from '../../audit/auditActor';
import { auditedUser } from '../../audit/auditedUser';
import { actorOf } from '../../auth/actorOf';
import type { Identity } from '../../auth/identity';
import { inviteId, newInviteToken } from '../../auth/inviteTokens';
import { hashPassword } from '../../auth/passwordHashing';
import { passwordProblem } from '../../auth/passwordPolicy';
import { inviteRoleRefusal } from '../../../core/users/inviteRole';
import { secretTokenMatches } from '../../auth/secretTokens';
import { inviteState, type InviteRecord } from '../../store/inviteRecords';
import { ConflictError } from '../../store/storeErrors';
import { HttpError, invalidField, notFound } from '../httpError';
import { requireIdentity } from '../routeAccess';
import { idParamsSchema, inviteSchema, passwordSchema, roleSchema, userSchema, usernameSchema } from '../schemas';
import type { ServerContext } from '../serverContext';
import { inviteDto, userDto } from '../toDto';
import { deniedBy } from '../../reviews/refusal';
import { throwIfRefused } from '../refusalResponse';

const DAY = 24 * 60 * 60 * 1000;
export const DEFAULT_INVITE_LIFETIME_MS = 7 * DAY;
export const MAX_INVITE_LIFETIME_MS = 30 * DAY;

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'role'],
  properties: { username: usernameSchema, role: roleSchema, expiresAt: { type: 'string', format: 'date-time' } },
} as const;

const createResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['invite', 'token'],
  properties: { invite: inviteSchema, token: { type: 'string' } },
} as const;

const listResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['invites'],
  properties: { invites: { type: 'array', items: inviteSchema } },
} as const;

const acceptBody = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'password'],
  properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, password: passwordSchema },
} as const;

const acceptResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['user'],
  properties: { user: userSchema },
} as const;

/** 403 unless decide() lets the caller invite; the static token is the org's admin. */
async function requireInviter(ctx: ServerContext, identity: Identity): Promise<void> {
  if (identity.kind === 'static-token') return;
  const { compiled } = await ctx.policies.current();
  const d = compiled.decide(actorOf(identity), 'user.invite', { kind: 'org' });
  throwIfRefused(deniedBy(d));
}

function expiryOf(requested: string | undefined, now: number): number {
  if (requested === undefined) return now + DEFAULT_INVITE_LIFETIME_MS;
  const at = Date.parse(requested);
  if (!(at > now)) throw invalidField('expiresAt', 'expiresAt must be in the future.');
  if (at - now > MAX_INVITE_LIFETIME_MS) throw invalidField('expiresAt', 'expiresAt must be within 30 days.');
  return at;
}

const day = (ms: number): string => new Date(ms).toISOString();

/** Why an invite that is no longer pending cannot be used, as the invitee should read it. */
function unusable(invite: InviteRecord, now: number): HttpError | undefined {
  switch (inviteState(invite, now)) {
    case 'accepted':
      return new HttpError(
        410,
        'invite_used',
        `This invite was already accepted on ${day(invite.acceptedAt!)}: an invite works once. Sign in as ${invite.username}, or ask an admin for a new invite.`,
      );
    case 'revoked':
      return new HttpError(410, 'invite_revoked', 'This invite was revoked by an admin; ask an admin for a new one.');
    case 'expired':
      return new HttpError(
        410,
        'invite_expired',
        `This invite expired on ${day(invite.expiresAt)}; ask an admin for a new one.`,
      );
    default:
      return undefined;
  }
}

const taken = (username: string): HttpError =>
  new HttpError(
    409,
    'name_taken',
    `The username ${username} is taken now (someone has it since the invite was made); ask an admin for an invite under another name.`,
    'username',
  );

/**
 * `/api/invites`: an admin (`user.invite`) invites a username with an org role and an
 * expiry; the token is returned once and stored hashed. The invitee accepts it once at
 * `POST /api/invites/accept`, choosing their own password (the password policy applies).
 * Nothing the invitee sends is logged or audited: neither the token nor the password.
 */
export function registerInviteRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: CreateInviteRequest }>(
    '/api/invites',
    {
      config: {
        access: 'signed-in',
        keyAction: 'user.invite',
        summary:
          'Invite a username with an org role and an expiry (default 7 days, at most 30); the token is shown only in this response.',
        extraStatuses: [403, 409],
      },
      schema: { body: createBody, response: { 201: createResponse } },
    },
    async (request, reply): Promise<CreateInviteResponse> => {
      const identity = requireIdentity(request.identity);
      await requireInviter(ctx, identity);
      const { role } = request.body;
      const refused = identity.kind === 'static-token' ? undefined : inviteRoleRefusal(identity.role, role);
      if (refused) throw new HttpError(403, 'forbidden', refused, 'role');
      const now = ctx.now();
      const username = normalizeUsername(request.body.username);
      const expiresAt = expiryOf(request.body.expiresAt, now);
      if (await ctx.store.getUserByUsername(username)) {
        throw new HttpError(409, 'name_taken', `There is already a user ${username}.`, 'username');
      }
      const pending = (await ctx.store.listInvites()).find(
        (i) => i.username === username && inviteState(i, now) === 'pending',
      );
      if (pending) {
        throw new HttpError(
          409,
          'conflict',
          `${username} has a pending invite already (${pending.id}); revoke it first (promptops invites revoke ${pending.id}).`,
          'username',
        );
      }
      const { id, token, secretHash } = newInviteToken();
      const invite: InviteRecord = {
        id,
        secretHash,
        username,
        role,
        createdBy: identity.kind === 'static-token' ? STATIC_TOKEN_ACTOR : identity.user.username,
        createdAt: now,
        expiresAt,
        acceptedAt: null,
        revokedAt: null,
      };
      await ctx.store.createInvite(invite);
      const dto = inviteDto(invite, now);
      await ctx.store.appendAudit({
        ...auditActor(identity, request),
        at: now,
        action: 'invite.create',
        targetType: 'invite',
        targetId: id,
        before: null,
        after: { id, username, role, expiresAt: dto.expiresAt },
      });
      reply.code(201);
      return { invite: dto, token };
    },
  );

  app.get(
    '/api/invites',
    {
      config: {
        access: 'signed-in',
        keyAction: 'user.invite',
        summary: 'Invites, pending, accepted, revoked and expired; never their tokens.',
        extraStatuses: [403],
      },
      schema: { response: { 200: listResponse } },
    },
    async (request): Promise<InviteListResponse> => {
      await requireInviter(ctx, requireIdentity(request.identity));
      const now = ctx.now();
      return { invites: (await ctx.store.listInvites()).map((i) => inviteDto(i, now)) };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/invites/:id',
    {
      config: {
        access: 'signed-in',
        keyAction: 'user.invite',
        summary: 'Revoke a pending invite: its token stops working at once.',
        extraStatuses: [403, 409],
      },
      schema: { params: idParamsSchema },
    },
    async (request, reply) => {
      const identity = requireIdentity(request.identity);
      await requireInviter(ctx, identity);
      const before = await ctx.store.findInvite(request.params.id);
      if (!before) throw notFound('Invite');
      if (before.acceptedAt !== null) {
        throw new HttpError(
          409,
          'invite_used',
          `The invite for ${before.username} was accepted already; remove the user instead (promptops users remove ${before.username}).`,
        );
      }
      const after = await ctx.store.revokeInvite(before.id, ctx.now());
      if (before.revokedAt === null && after) {
        await ctx.store.appendAudit({
          ...auditActor(identity, request),
          at: ctx.now(),
          action: 'invite.revoke',
          targetType: 'invite',
          targetId: before.id,
          before: { id: before.id, username: before.username, role: before.role },
          after: null,
        });
      }
      return reply.code(204).send();
    },
  );

  app.post<{ Body: AcceptInviteRequest }>(
    '/api/invites/accept',
    {
      config: {
        access: 'public',
        summary:
          'Accept an invite once: the invitee chooses a password and the account is created. Throttled like sign-in.',
        extraStatuses: [404, 409, 410, 429],
      },
      schema: { body: acceptBody, response: { 201: acceptResponse } },
    },
    async (request, reply): Promise<AcceptInviteResponse> => {
      const { token, password } = request.body;
      const id = inviteId(token);
      // Throttled per invite and address, and per address across invites, as sign-in is per account.
      const throttleKey = `invite:${id ?? 'malformed'}`;
      const retryAfterMs = await ctx.loginThrottle.retryAfterMs(throttleKey, request.ip, ctx.now());
      if (retryAfterMs > 0) {
        const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
        throw new HttpError(
          429,
          'too_many_requests',
          `Too many wrong invite tokens. Try again in ${seconds} s.`,
          undefined,
          { 'retry-after': String(seconds) },
        );
      }
      const invite = id === undefined ? undefined : await ctx.store.findInvite(id);
      if (!invite || !secretTokenMatches(token, invite.secretHash)) {
        await ctx.loginThrottle.recordFailure(throttleKey, request.ip, ctx.now());
        await auditRefusedAccept(ctx, request, null, 'No invite matches this token.');
        throw new HttpError(
          404,
          'not_found',
          'No invite matches this token; check that it was copied whole (it starts with poi_).',
          'token',
        );
      }
      const refusal =
        unusable(invite, ctx.now()) ?? ((await ctx.store.getUserByUsername(invite.username)) && taken(invite.username));
      if (refusal) {
        await auditRefusedAccept(ctx, request, invite, refusal.message);
        throw refusal;
      }
      // A weak password leaves the invite as it was, to try again with a better one.
      const problem = passwordProblem(password, invite.username);
      if (problem) throw invalidField('password', problem);
      const now = ctx.now();
      const user = {
        id: randomUUID(),
        username: invite.username,
        passwordHash: await hashPassword(password),
        role: invite.role,
        emails: [],
        defaultPassword: false,
        now,
      };
      let outcome: 'accepted' | 'gone';
      try {
        outcome = await ctx.store.acceptInvite(invite.id, user);
      } catch (err) {
        if (err instanceof ConflictError) throw taken(invite.username);
        throw err;
      }
      if (outcome === 'gone') {
        // Another request accepted or revoked it in the meantime.
        const now2 = ctx.now();
        throw unusable((await ctx.store.findInvite(invite.id)) ?? invite, now2) ?? notFound('Invite');
      }
      await ctx.loginThrottle.recordSuccess(throttleKey, request.ip);
      const created = await ctx.store.getUserById(user.id);
      if (!created) throw new Error('the accepted invite’s user is missing');
      await ctx.store.appendAudit({
        at: now,
        actor: created.username,
        actorRole: created.role,
        address: request.ip,
        action: 'invite.accept',
        targetType: 'invite',
        targetId: invite.id,
        before: null,
        after: { invitedBy: invite.createdBy, user: auditedUser(created) },
      });
      reply.code(201);
      return { user: userDto(created) };
    },
  );
}

/** A refused acceptance, with the invite it named (if any): never the token or the password. */
async function auditRefusedAccept(
  ctx: ServerContext,
  request: FastifyRequest,
  invite: InviteRecord | null,
  reason: string,
): Promise<void> {
  await ctx.store.appendAudit({
    at: ctx.now(),
    actor: invite?.username ?? null,
    actorRole: null,
    address: request.ip,
    action: 'invite.accept',
    targetType: 'invite',
    targetId: invite?.id ?? null,
    before: null,
    after: null,
    outcome: 'refused',
    reason,
  });
}
