import type { FastifyInstance } from 'fastify';
import { accessReview, DEFAULT_REVIEW_DAYS, type ReviewedUser } from '../../../core/policy/accessReview';
import type { AccessReviewResponse } from '../../../shared/api/accessReview';
import { actorOf } from '../../auth/actorOf';
import { isServiceAccount } from '../../auth/serviceAccounts';
import { HttpError } from '../httpError';
import { requireIdentity } from '../routeAccess';
import type { ServerContext } from '../serverContext';

const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { days: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' } },
} as const;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * `GET /api/access-review`: for admins (decide() on `user.manage`), every user × workspace
 * × env with the role that decides there, last sign-in (from the audit log), API keys,
 * and flags saying what to act on.
 */
export function registerAccessReviewRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: { days?: string } }>(
    '/api/access-review',
    {
      config: {
        access: 'viewer',
        keyAction: 'user.manage',
        summary:
          'Access review (admins): every user × workspace × env with their effective role, last sign-in, API keys, and flags with what to do (`days`: sign-in window, default 90).',
        extraStatuses: [403],
      },
      schema: { querystring: querySchema },
    },
    async (request): Promise<AccessReviewResponse> => {
      const identity = requireIdentity(request.identity);
      const { policy, compiled, record } = await ctx.policies.current();
      if (identity.kind !== 'static-token') {
        const d = compiled.decide(actorOf(identity), 'user.manage', { kind: 'org' });
        if (!d.allowed) throw new HttpError(403, 'forbidden', d.reason);
      }
      const days = request.query.days === undefined ? DEFAULT_REVIEW_DAYS : Number(request.query.days);
      const now = ctx.now();
      const [users, keys, signingKeys] = await Promise.all([
        ctx.store.listUsers(),
        ctx.store.listApiKeys(),
        ctx.store.listSigningKeys(),
      ]);
      const reviewed: ReviewedUser[] = await Promise.all(
        users.map(async (u) => {
          const [login] = await ctx.store.listAudit({
            actor: u.username,
            action: 'session.login',
            outcome: 'done',
            limit: 1,
          });
          return {
            username: u.username,
            role: u.role,
            emails: u.emails,
            serviceAccount: isServiceAccount(u),
            signingKeys: signingKeys.filter((k) => k.userId === u.id).length,
            lastSignInAt: login?.at ?? null,
            apiKeys: keys
              .filter((k) => k.userId === u.id)
              .map((k) => ({ id: k.id, name: k.name, expiresAt: k.expiresAt, lastUsedAt: k.lastUsedAt })),
          };
        }),
      );
      const review = accessReview(policy, reviewed, now, days);
      return {
        generatedAt: new Date(now).toISOString(),
        days,
        policyVersion: record?.version ?? null,
        users: reviewed.map((u) => ({
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
