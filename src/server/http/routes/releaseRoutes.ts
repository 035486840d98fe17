import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '../../../core/schemaTypes';
import type { ReleaseListResponse, UnpublishResponse } from '../../../shared/api/releases';
import { SignedUnpublishSchema } from '../../../core/release/unpublishRecordSchema';
import { SignedReleaseSchema } from '../../../core/release/releaseRecordSchema';
import { auditActor } from '../../audit/auditActor';
import { reviewActorOf } from '../../reviews/reviewActor';
import { decideUnpublish, nothingPublished } from '../../reviews/unpublishDecision';
import { httpErrorOf, orRefused } from '../refusalResponse';
import { hiddenWorkspaces, mayRead, readerOf, releaseResource } from '../../reviews/readAccess';
import { releaseDto } from '../../reviews/reviewDto';
import { requireIdentity } from '../routeAccess';
import { cutPage, pageOf, pagingQueryProperties, storeBounds } from '../paging';
import type { ServerContext } from '../serverContext';
import { promptResource } from '../../../core/policy/promptResource';

const releaseQuery = Type.Object(
  {
    path: Type.Optional(Type.String({ maxLength: 1024 })),
    env: Type.Optional(Type.String({ maxLength: 64 })),
    workspace: Type.Optional(Type.String({ maxLength: 128 })),
    reviewId: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    ...pagingQueryProperties,
  },
  { additionalProperties: false },
);

/** A stored release as the API lists it: the signed release (its one definition) and the row's id. */
const releaseDtoSchema = Type.Object(
  { id: Type.String(), ...SignedReleaseSchema.properties },
  { additionalProperties: false },
);

const releaseListSchema = Type.Object(
  { releases: Type.Array(releaseDtoSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: false },
);

const unpublishBody = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: 1024 }),
    env: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);

/**
 * `GET /api/releases` (viewer): signed release records, newest first.
 * `POST /api/releases/unpublish`: retire a prompt's newest release in an env (prompt.publish there).
 */
export function registerReleaseRoutes(untyped: FastifyInstance, ctx: ServerContext): void {
  // Request and reply types follow from the TypeBox schemas below.
  const app = untyped.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/releases',
    {
      config: {
        access: 'signed-in',
        keyAction: 'prompt.read',
        summary:
          'Signed releases the caller may read (prompt.read), newest first; filter by path, env, workspace, reviewId.',
      },
      schema: {
        querystring: releaseQuery,
        response: { 200: releaseListSchema },
      },
    },
    async (request): Promise<ReleaseListResponse> => {
      const q = request.query;
      const page = pageOf(q);
      const policy = await ctx.policies.current();
      const reader = readerOf(requireIdentity(request.identity));
      const rows = await ctx.store.listReleases({
        path: q.path,
        env: q.env,
        workspace: q.workspace,
        reviewId: q.reviewId,
        hiddenWorkspaces: hiddenWorkspaces(policy, reader),
        ...storeBounds(page),
      });
      const { rows: onPage, nextCursor } = cutPage(rows, page, (r) => r.id);
      // SQL left out unreadable workspaces; this drops only rows placed under an older access file.
      const readable = onPage.filter((r) => mayRead(policy, reader, releaseResource(r)));
      return { releases: readable.map(releaseDto), nextCursor };
    },
  );

  app.post(
    '/api/releases/unpublish',
    {
      config: {
        access: 'signed-in',
        keyAction: 'prompt.publish',
        summary:
          'Unpublish a prompt from an env: needs prompt.publish where its newest release is placed. Returns the server-signed unpublish record (write it into .promptops/unpublished.yaml and drop the lock entry: promptops unpublish does both). 404 when nothing is published there; repeating returns the first record.',
        extraStatuses: [403, 404],
      },
      schema: {
        body: unpublishBody,
        response: {
          200: Type.Object(
            { record: SignedUnpublishSchema, alreadyUnpublished: Type.Boolean() },
            { additionalProperties: false },
          ),
        },
      },
    },
    async (request): Promise<UnpublishResponse> => {
      const identity = requireIdentity(request.identity);
      const actor = orRefused(reviewActorOf(identity));
      const policy = await ctx.policies.current();
      const signingKey = await ctx.signingKeys.signingKey();
      const { path, env } = request.body;
      const outcome = await ctx.store.unpublishRelease(
        path,
        env,
        decideUnpublish(policy.compiled, actor, signingKey, ctx.now(), auditActor(identity, request)),
      );
      if (outcome.kind === 'not_published') throw httpErrorOf(nothingPublished(path, env));
      if (outcome.kind === 'refused') throw httpErrorOf(outcome.refusal);
      if (outcome.kind === 'already') {
        // Only someone who may unpublish it learns the record (the decision was not run).
        const d = policy.compiled.decide(actor, 'prompt.publish', promptResource(outcome.record.path, outcome.record));
        if (!d.allowed) throw httpErrorOf(nothingPublished(path, env));
      }
      return { record: outcome.record, alreadyUnpublished: outcome.kind === 'already' };
    },
  );
}
