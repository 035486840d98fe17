import type { FastifyInstance } from 'fastify';
import { accessReview, DEFAULT_REVIEW_DAYS, type ReviewedUser } from '../../../core/policy/accessReview';
import type { Action } from '../../../core/policy/actions';
import type { AccessReviewResponse } from '../../../shared/api/accessReview';
import type { AuditAction } from '../../store/auditRecords';
import { isServiceAccount } from '../../auth/serviceAccounts';
import { roleSchema } from '../schemas';
import type { ServerContext } from '../serverContext';

const str = { type: 'string' } as const;
const when = { type: ['string', 'null'], format: 'date-time' } as const;
const object = <P extends Record<string, unknown>>(properties: P) =>
  ({ type: 'object', additionalProperties: false, required: Object.keys(properties), properties }) as const;

const responseSchema = object({
  generatedAt: { type: 'string', format: 'date-time' },
  days: { type: 'integer' },
  policyVersion: { type: ['integer', 'null'] },
  users: {
    type: 'array',
    items: object({
      username: str,
      role: roleSchema,
      serviceAccount: { type: 'boolean' },
      emails: { type: 'array', items: str },
      signingKeys: { type: 'integer' },
      lastSignInAt: when,
      rightsUsed: { type: 'array', items: object({ right: str, at: { type: 'string', format: 'date-time' } }) },
      apiKeys: {
        type: 'array',
        items: object({ id: str, name: str, expiresAt: { type: 'string', format: 'date-time' }, lastUsedAt: when }),
      },
    }),
  },
  rows: {
    type: 'array',
    items: object({
      username: str,
      orgRole: roleSchema,
      workspace: str,
      env: str,
      role: str,
      source: { type: 'string', enum: ['org', 'member'] },
    }),
  },
  flags: { type: 'array', items: object({ username: str, kind: str, message: str, fix: str }) },
});

const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { days: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' } },
} as const;

/**
 * Rights whose every use leaves an audit entry, and the entries that show it. Reading,
 * running and editing happen in git and the editor, not on the server, so they are not
 * judged unused.
 */
const RIGHT_OF_AUDIT_ACTION: Partial<Record<AuditAction, Action>> = {
  'review.create': 'review.request',
  'review.revise': 'review.request',
  'review.approve': 'review.approve',
  'review.request_changes': 'review.approve',
  'release.publish': 'prompt.publish',
  'release.unpublish': 'prompt.publish',
  'workspace.create': 'workspace.create',
  'workspace.delete': 'workspace.delete',
  'policy.apply': 'policy.apply',
  'user.create': 'user.manage',
  'user.update': 'user.manage',
  'user.delete': 'user.manage',
  'apikey.create': 'apikey.manage',
  'apikey.revoke': 'apikey.manage',
  'invite.create': 'user.invite',
  'invite.revoke': 'user.invite',
  'server.key.rotate': 'server.key.rotate',
};
const TRACKED_RIGHTS: ReadonlySet<Action> = new Set(Object.values(RIGHT_OF_AUDIT_ACTION));
const DAY = 24 * 60 * 60 * 1000;
/** Enough to see every right a busy account used; beyond it rights are taken as used. */
const USE_SCAN_LIMIT = 5000;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * `GET /api/access-review`: for admins (the route's org action `user.manage`), every user × workspace
 * × env with the role that decides there, last sign-in (from the audit log), API keys,
 * and flags saying what to act on.
 */
export function registerAccessReviewRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: { days?: string } }>(
    '/api/access-review',
    {
      config: {
        access: 'user.manage',
        keyAction: 'user.manage',
        summary:
          'Access review (admins): every user × workspace × env with their effective role, last sign-in, API keys, and flags with what to do (`days`: sign-in window, default 90).',
        extraStatuses: [403],
      },
      schema: { querystring: querySchema, response: { 200: responseSchema } },
    },
    async (request): Promise<AccessReviewResponse> => {
      const { policy, record } = await ctx.policies.current();
      const days = request.query.days === undefined ? DEFAULT_REVIEW_DAYS : Number(request.query.days);
      const now = ctx.now();
      const [users, keys, signingKeys] = await Promise.all([
        ctx.store.listUsers(),
        ctx.store.listApiKeys(),
        ctx.store.listSigningKeys(),
      ]);
      const reviewed: (ReviewedUser & { rightsUsed: { right: string; at: string }[] })[] = await Promise.all(
        users.map(async (u) => {
          const [[login], recent] = await Promise.all([
            ctx.store.listAudit({ actor: u.username, action: 'session.login', outcome: 'done', limit: 1 }),
            ctx.store.listAudit({ actor: u.username, outcome: 'done', since: now - days * DAY, limit: USE_SCAN_LIMIT }),
          ]);
          // The audit log lists newest first: the first entry per right is its last use.
          const lastUse = new Map<Action, number>();
          for (const e of recent) {
            const right = RIGHT_OF_AUDIT_ACTION[e.action];
            if (right && !lastUse.has(right)) lastUse.set(right, e.at);
          }
          const used = new Set(lastUse.keys());
          return {
            username: u.username,
            role: u.role,
            emails: u.emails,
            serviceAccount: isServiceAccount(u),
            signingKeys: signingKeys.filter((k) => k.userId === u.id).length,
            lastSignInAt: login?.at ?? null,
            rightsUsed: [...lastUse].map(([right, at]) => ({ right, at: new Date(at).toISOString() })),
            // A full page may have cut off older uses: then nothing is judged unused.
            used: recent.length < USE_SCAN_LIMIT ? used : undefined,
            apiKeys: keys
              .filter((k) => k.userId === u.id)
              .map((k) => ({ id: k.id, name: k.name, expiresAt: k.expiresAt, lastUsedAt: k.lastUsedAt })),
          };
        }),
      );
      const review = accessReview(policy, reviewed, now, days, TRACKED_RIGHTS);
      return {
        generatedAt: new Date(now).toISOString(),
        days,
        policyVersion: record?.version ?? null,
        users: reviewed.map(({ used: _used, ...u }) => ({
          ...u,
          emails: [...u.emails],
          lastSignInAt: iso(u.lastSignInAt),
          apiKeys: u.apiKeys.map((k) => ({ ...k, expiresAt: iso(k.expiresAt)!, lastUsedAt: iso(k.lastUsedAt) })),
        })),
        rows: review.rows,
        flags: review.flags,
      };
    },
  );
}
