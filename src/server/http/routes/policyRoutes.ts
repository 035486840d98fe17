import type { FastifyInstance } from 'fastify';
import { parseAccessFile, MAX_ACCESS_FILE_LENGTH } from '../../../core/access';
import { declaredDeletedWorkspaces } from '../../../core/access/withoutDeletedWorkspaces';
import { formatDiagnostic } from '../../../core/diagnostics';
import { contentSha256 } from '../../../core/release/contentHash';
import type { ApplyPolicyRequest, ApplyPolicyResponse, PolicyDto } from '../../../shared/api/policy';
import { serializePolicyRecord, signPolicyRecord } from '../../../core/release/policyLock';
import { auditActor, STATIC_TOKEN_ACTOR } from '../../audit/auditActor';
import { approvedPolicyReviewClaim } from '../../reviews/policyReview';
import type { Refusal } from '../../reviews/refusal';
import { STATIC_TOKEN_NOT_A_USER } from '../../reviews/reviewActor';
import { actorName } from '../../auth/identity';
import type { PolicyReviewClaim, PolicyVersionRecord } from '../../store/policyRecords';
import { HttpError } from '../httpError';
import { httpErrorOf, orRefused } from '../refusalResponse';
import { requireIdentity } from '../routeAccess';
import type { ServerContext } from '../serverContext';

const policySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'content', 'sha256', 'appliedBy', 'appliedAt', 'commit', 'record'],
  properties: {
    version: { type: 'integer' },
    content: { type: 'string' },
    sha256: { type: 'string' },
    appliedBy: { type: ['string', 'null'] },
    appliedAt: { type: 'string', format: 'date-time' },
    commit: { type: ['string', 'null'] },
    record: { type: ['string', 'null'], description: 'The signed policy record (.promptops/policy.lock).' },
  },
} as const;

const applyBody = {
  type: 'object',
  additionalProperties: false,
  required: ['content', 'commit'],
  properties: {
    content: {
      type: 'string',
      maxLength: MAX_ACCESS_FILE_LENGTH,
      description: 'The text of .promptops/access.yaml as committed at `commit`.',
    },
    commit: {
      type: 'string',
      pattern: '^[0-9a-f]{40}([0-9a-f]{24})?$',
      description: 'The commit on the release branch the content was read from (full sha).',
    },
  },
} as const;

const applyResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['policy', 'changed', 'createdWorkspaces', 'deletedWorkspaces'],
  properties: {
    policy: policySchema,
    changed: { type: 'boolean' },
    createdWorkspaces: { type: 'array', items: { type: 'string' } },
    deletedWorkspaces: { type: 'array', items: { type: 'string' } },
  },
} as const;

function policyDto(record: PolicyVersionRecord): PolicyDto {
  return {
    version: record.version,
    content: record.content,
    sha256: record.sha256,
    appliedBy: record.appliedBy,
    appliedAt: new Date(record.appliedAt).toISOString(),
    commit: record.commit,
    record: record.signedRecord,
  };
}

/** `GET /api/policy` (viewer) and `PUT /api/policy` (admin): the access file the server decides with. */
export function registerPolicyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/api/policy',
    {
      config: {
        access: 'signed-in',
        keyAction: 'prompt.read',
        summary:
          'The access file in force: content, version, sha256, who applied it and when. 404 before the first apply.',
        extraStatuses: [404],
      },
      schema: { response: { 200: policySchema } },
    },
    async (): Promise<PolicyDto> => {
      const record = await ctx.store.currentPolicy();
      if (!record)
        throw new HttpError(
          404,
          'no_policy',
          'No access file has been applied yet; an admin runs `promptops apply`. Until then the built-in roles apply everywhere.',
        );
      return policyDto(record);
    },
  );

  app.put<{ Body: ApplyPolicyRequest }>(
    '/api/policy',
    {
      config: {
        access: 'policy.apply',
        keyAction: 'policy.apply',
        summary:
          'Apply an access file as committed at `commit`. Refused (422, with every located problem) when it has errors; under an access file with `policyApprovals`, refused (409) until an open review of exactly this content has them. Records the commit and signs a policy record (.promptops/policy.lock). Creates the workspaces it declares; never deletes any, and never re-creates one deleted through the API (listed in `deletedWorkspaces`).',
        extraStatuses: [409],
      },
      schema: { body: applyBody, response: { 200: applyResponse } },
    },
    async (request): Promise<ApplyPolicyResponse> => {
      const identity = requireIdentity(request.identity);
      const { content, commit } = request.body;
      const { policy, diagnostics } = parseAccessFile(content);
      if (!policy) {
        const errors = diagnostics.filter((d) => d.severity === 'error');
        const count = `${errors.length} error${errors.length === 1 ? '' : 's'}`;
        throw new HttpError(
          422,
          'invalid_access_file',
          `The access file has ${count}; nothing was applied. ${errors.map(formatDiagnostic).join('; ')}`,
          'content',
          {},
          errors,
        );
      }
      const sha256 = contentSha256(content);
      const inForce = await ctx.policies.current();
      const current = inForce.record;
      // Declared but deleted through the API: they stay deleted, and the answer says so.
      const deletedWorkspaces = declaredDeletedWorkspaces(policy, inForce.deletedWorkspaces);
      if (current?.sha256 === sha256)
        return { policy: policyDto(current), changed: false, createdWorkspaces: [], deletedWorkspaces };
      const appliedBy = actorName(identity);
      const now = ctx.now();
      const signingKey = await ctx.signingKeys.signingKey();
      // The bar is the file in force, never the proposed one (which could lower its own); the
      // store refuses if another version was applied since it was read.
      let review: PolicyReviewClaim<Refusal> | undefined;
      if ((inForce.policy.policyApprovals ?? 0) > 0) {
        if (appliedBy === null) throw new HttpError(403, 'not_a_user', STATIC_TOKEN_NOT_A_USER);
        const approved = orRefused(
          await approvedPolicyReviewClaim(ctx.store, inForce, sha256, {
            username: appliedBy,
            auditActor: auditActor(identity, request),
            now,
          }),
        );
        review = { ...approved, refused: httpErrorOf };
      }
      let createdWorkspaces: string[] = [];
      const record = await ctx.store.applyPolicy(
        {
          content,
          sha256,
          appliedBy,
          now,
          commit,
          workspaces: policy.workspaces.map((w) => w.name),
          basedOn: {
            version: current?.version ?? 0,
            changed: () =>
              new HttpError(
                409,
                'policy_changed',
                'Another version of the access file was applied while this one was being applied; nothing was applied. Apply again: it is checked against the version now in force.',
                'content',
              ),
          },
          review,
          seal: (version, claimed) =>
            serializePolicyRecord(
              signPolicyRecord(
                {
                  serial: version,
                  commit,
                  contentHash: sha256,
                  appliedBy: appliedBy ?? STATIC_TOKEN_ACTOR,
                  approvals: claimed?.approvals ?? [],
                  appliedAt: new Date(now).toISOString(),
                  keyId: signingKey.keyId,
                },
                signingKey.privateKey,
              ),
            ),
        },
        (version, created, claimed) => {
          createdWorkspaces = created;
          return {
            ...auditActor(identity, request),
            at: ctx.now(),
            action: 'policy.apply',
            targetType: 'policy',
            targetId: String(version),
            before: current ? { version: current.version, sha256: current.sha256 } : null,
            after: {
              version,
              sha256,
              commit,
              approvals: claimed?.approvals ?? [],
              reviewId: claimed?.reviewId ?? null,
              createdWorkspaces: created,
              deletedWorkspaces,
            },
          };
        },
      );
      return { policy: policyDto(record), changed: true, createdWorkspaces, deletedWorkspaces };
    },
  );
}
