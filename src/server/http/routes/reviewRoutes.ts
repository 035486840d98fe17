import type { Action } from '../../../core/policy/actions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from '../../../core/schemaTypes';
import {
  ApproveReviewRequestSchema,
  CommentRequestSchema,
  CreateReviewRequestSchema,
  PublishReviewRequestSchema,
  PublishReviewResponseSchema,
  ReportDeliveryRequestSchema,
  RequestChangesRequestSchema,
  ReviewIdParamsSchema,
  ReviewListFilterSchema,
  ReviewListResponseSchema,
  ReviewSchema,
  ReviseReviewRequestSchema,
  RevisionContentSchema,
  RevisionParamsSchema,
  WithdrawReviewRequestSchema,
  type PublishReviewResponse,
  type ReviewDto,
  type ReviewListItemDto,
  type ReviewListResponse,
  type RevisionContentDto,
} from '../../../shared/api/reviews';
import { auditActor } from '../../audit/auditActor';
import { isPolicyReviewPath } from '../../../core/review/policyApproval';
import { appliedPolicyBase } from '../../reviews/policyReview';
import { promptSubject, repoPathRefusal, subjectResource } from '../../reviews/promptSubject';
import { takenNameRefusal } from '../../reviews/nameTaken';
import { refusal } from '../../reviews/refusal';
import { ConflictError } from '../../store/storeErrors';
import { RELEASE_NAME_INDEX } from '../../store/uniqueConstraints';
import { publishedBase } from '../../reviews/publishedBase';
import { requestAccessRefusal } from '../../reviews/requestAccess';
import { reviewDataset } from '../../reviews/reviewDataset';
import { reviewedHash } from '../../../core/review/reviewedHash';
import { reviewActorOf, reviewActorOrUndefined } from '../../reviews/reviewActor';
import {
  approveReview,
  commentOnReview,
  publishReview,
  reportDelivery,
  requestChanges,
  reviseReview,
  withdrawReview,
  type ActionContext,
} from '../../reviews/reviewChanges';
import { reviewDto, revisionDto, signedReleaseDto } from '../../reviews/reviewDto';
import { reviewPermission } from '../../reviews/reviewPermissions';
import { approvalProgress } from '../../reviews/approvalProgress';
import { reviewListItem } from '../../reviews/reviewListItem';
import { reviewResource } from '../../reviews/reviewResource';
import { awaitingApprovalBy } from '../../reviews/awaitingApproval';
import { hiddenWorkspaces, mayReadReview, readerOf } from '../../reviews/readAccess';
import { refused, type ReviewDecision } from '../../reviews/reviewDecision';
import type { ReviewFilter, ReviewState } from '../../store/reviewRecords';
import { invalidField, notFound } from '../httpError';
import { changedOrRefused, httpErrorOf, orRefused, throwIfRefused } from '../refusalResponse';
import { cutPage, pageOf, pagingQueryProperties, storeBounds } from '../paging';
import { requireIdentity } from '../routeAccess';
import type { ServerContext } from '../serverContext';

const reviewListQuery = Type.Object(
  { ...ReviewListFilterSchema.properties, ...pagingQueryProperties },
  { additionalProperties: false },
);

/** A review the caller may not read, answered as one that does not exist. */
const REVIEW_NOT_FOUND = refusal('not_found', 'not_found', 'Review not found.');

/**
 * Reviews: create, list, get, revise, comment, approve, request changes, withdraw and
 * publish. The route only lets signed-in callers in (viewer); what each may do is the
 * server's access file's decision for that prompt's workspace and env, made inside the
 * transaction that acts (see Store.changeReview).
 */
export function registerReviewRoutes(untyped: FastifyInstance, ctx: ServerContext): void {
  // Request and reply types follow from the shared API's TypeBox schemas.
  const app = untyped.withTypeProvider<TypeBoxTypeProvider>();
  const actionContext = async (request: FastifyRequest): Promise<ActionContext> => {
    const identity = requireIdentity(request.identity);
    return {
      actor: orRefused(reviewActorOf(identity)),
      policy: await ctx.policies.current(),
      auditActor: auditActor(identity, request),
      now: ctx.now(),
    };
  };

  const act = async (
    request: FastifyRequest & { params: { id: string } },
    decide: (c: ActionContext) => (state: ReviewState) => ReviewDecision<ReviewState>,
  ): Promise<{ state: ReviewState; c: ActionContext }> => {
    const c = await actionContext(request);
    const decideAs = decide(c);
    // A review the caller may not read does not exist for them: 404, not 403.
    const outcome = await ctx.store.changeReview(request.params.id, c.now, (s) =>
      mayReadReview(c.policy, c.actor, s.review) ? decideAs(s) : refused(REVIEW_NOT_FOUND),
    );
    return { state: changedOrRefused(outcome), c };
  };

  const actionRoute = <Body extends TSchema>(
    url: string,
    keyAction: Action,
    summary: string,
    body: Body,
    decide: (c: ActionContext, body: Static<Body>) => (state: ReviewState) => ReviewDecision<ReviewState>,
  ): void => {
    app.post(
      url,
      {
        config: { access: 'signed-in', keyAction, summary, extraStatuses: [403, 404, 409] },
        schema: { params: ReviewIdParamsSchema, body, response: { 200: ReviewSchema } },
      },
      async (request): Promise<ReviewDto> => {
        // The provider cannot resolve Static of a generic schema; the schema above has validated it.
        const { state, c } = await act(request, (c) => decide(c, request.body as Static<Body>));
        return reviewDto(state, c.policy, c.actor, ctx.modelEnv);
      },
    );
  };

  app.post(
    '/api/reviews',
    {
      config: {
        access: 'signed-in',
        keyAction: 'review.request',
        summary:
          'Request review of a prompt change. The server derives workspace, env and hashes from path and content with its own access file, and takes the base from its own latest release of the path in that env (409 when the content equals it).',
        extraStatuses: [403, 409],
      },
      schema: { body: CreateReviewRequestSchema, response: { 201: ReviewSchema } },
    },
    async (request, reply): Promise<ReviewDto> => {
      const c = await actionContext(request);
      const body = request.body;
      throwIfRefused(repoPathRefusal(body.path));
      const subject = orRefused(promptSubject(body.path, body.content, c.policy.compiled));
      if (body.headHash !== undefined && body.headHash !== subject.headHash) {
        throw invalidField(
          'headHash',
          `"headHash" is not the sha256 of "content" (that is ${subject.headHash}); the content may have been changed on the way.`,
        );
      }
      const dataset = orRefused(reviewDataset(body.path, body.dataset));
      const resource = subjectResource(body.path, subject);
      throwIfRefused(requestAccessRefusal(c.policy.compiled, c.actor, resource));
      const ofPolicy = isPolicyReviewPath(body.path);
      if (resource.kind === 'prompt') {
        throwIfRefused(
          takenNameRefusal(body.path, subject, {
            name: subject.name,
            published: await ctx.store.publishedUnderName(subject.name),
          }),
        );
      }
      const published = ofPolicy
        ? appliedPolicyBase(c.policy, subject.env)
        : await ctx.store.publishedVersions(body.path);
      const base = orRefused(publishedBase(body.path, subject, published));
      const note = body.note ?? '';
      const id = await ctx.store.createReview(
        {
          path: body.path,
          ...subject,
          authorId: c.actor.userId,
          author: c.actor.username,
          note,
          ...base,
          content: body.content,
          dataset,
          reviewedHash: reviewedHash(subject.headHash, dataset),
          gitBranch: body.gitBranch ?? null,
          gitCommit: body.gitCommit ?? null,
          createdAt: c.now,
        },
        (reviewId) => ({
          ...c.auditActor,
          at: c.now,
          action: 'review.create',
          targetType: 'review',
          targetId: reviewId,
          before: null,
          after: {
            path: body.path,
            workspace: subject.workspace,
            env: subject.env,
            headHash: subject.headHash,
            reviewedHash: reviewedHash(subject.headHash, dataset),
            baseHash: base.baseHash,
            note,
          },
        }),
      );
      const state = await ctx.store.getReviewState(id);
      if (!state) throw new Error(`review ${id} vanished after it was created`);
      reply.code(201);
      return reviewDto(state, c.policy, c.actor, ctx.modelEnv);
    },
  );

  app.get(
    '/api/reviews',
    {
      config: {
        access: 'signed-in',
        keyAction: 'prompt.read',
        summary:
          'Reviews, newest first: filter by status, workspace, env, author, path, needsMyApproval=true or awaitingMerge=true; page with cursor.',
      },
      schema: {
        querystring: reviewListQuery,
        response: { 200: ReviewListResponseSchema },
      },
    },
    async (request): Promise<ReviewListResponse> => {
      const q = request.query;
      const page = pageOf(q);
      const policy = await ctx.policies.current();
      const reader = readerOf(requireIdentity(request.identity));
      const filter: ReviewFilter = {
        status: q.status,
        workspace: q.workspace,
        env: q.env,
        author: q.author,
        path: q.path,
        awaitingMerge: q.awaitingMerge === 'true' || undefined,
        hiddenWorkspaces: hiddenWorkspaces(policy, reader),
        ...storeBounds(page),
      };
      if (q.needsMyApproval !== 'true') {
        const { rows, nextCursor } = cutPage(await ctx.store.listReviewsWithVerdicts(filter), page, (r) => r.review.id);
        // SQL left out unreadable workspaces; this drops only rows placed under an older
        // access file. The cursor follows the rows read, so paging goes on past them.
        const readable = rows.filter((r) => mayReadReview(policy, reader, r.review));
        return { reviews: readable.map((r) => reviewListItem(r, policy)), nextCursor };
      }
      const actor = reviewActorOrUndefined(requireIdentity(request.identity));
      const awaiting = actor && awaitingApprovalBy(policy, actor);
      if (!actor || !awaiting) return { reviews: [], nextCursor: null };
      // SQL narrows to open reviews placed where the actor may approve and not approved by
      // them at the head; each is then decided by the rule itself. The cursor follows the rows read.
      const { rows, nextCursor } = cutPage(
        await ctx.store.listReviewsWithVerdicts({ ...filter, status: 'open', awaitingApprovalBy: awaiting }),
        page,
        (r) => r.review.id,
      );
      const reviews: ReviewListItemDto[] = [];
      for (const r of rows) {
        // A prompt review's approve permission below makes this same decision; the access
        // file's review is approved under its own rule, so it must also pass this one.
        const ofPolicy = isPolicyReviewPath(r.review.path);
        if (ofPolicy && !policy.compiled.decide(actor, 'review.approve', reviewResource(r.review, true)).allowed)
          continue;
        if (!mayReadReview(policy, actor, r.review)) continue;
        // Worked out once: it decides the row and is what the row shows.
        const progress = approvalProgress(r, policy);
        if (reviewPermission('approve', r, actor, policy, progress).allowed)
          reviews.push(reviewListItem(r, policy, progress));
      }
      return { reviews, nextCursor };
    },
  );

  app.get(
    '/api/reviews/:id',
    {
      config: {
        access: 'signed-in',
        keyAction: 'prompt.read',
        summary:
          'One review: contents, revisions, verdicts, comments, the approval rule and how far it is met, and what the caller may do.',
        extraStatuses: [404],
      },
      schema: { params: ReviewIdParamsSchema, response: { 200: ReviewSchema } },
    },
    async (request): Promise<ReviewDto> => {
      const identity = requireIdentity(request.identity);
      const policy = await ctx.policies.current();
      const state = await ctx.store.getReviewState(request.params.id);
      if (!state || !mayReadReview(policy, readerOf(identity), state.review)) throw notFound('Review');
      return reviewDto(state, policy, reviewActorOrUndefined(identity), ctx.modelEnv);
    },
  );

  app.get(
    '/api/reviews/:id/revisions/:number',
    {
      config: {
        access: 'signed-in',
        keyAction: 'prompt.read',
        summary:
          'One revision of a review with its content (to show what changed since it); 404 when the caller may not read the review, as for GET /api/reviews/:id.',
        extraStatuses: [404],
      },
      schema: { params: RevisionParamsSchema, response: { 200: RevisionContentSchema } },
    },
    async (request): Promise<RevisionContentDto> => {
      const identity = requireIdentity(request.identity);
      const policy = await ctx.policies.current();
      const state = await ctx.store.getReviewState(request.params.id);
      if (!state || !mayReadReview(policy, readerOf(identity), state.review)) throw notFound('Review');
      const revision = state.revisions.find((r) => r.number === Number(request.params.number));
      if (!revision) throw notFound('Revision');
      return { ...revisionDto(revision), content: revision.content, dataset: revision.dataset };
    },
  );

  app.post(
    '/api/reviews/:id/revisions',
    {
      config: {
        access: 'signed-in',
        keyAction: 'review.request',
        summary:
          'Add a revision (author only). A new head dismisses every earlier approval and change request; its base is the latest release of the path in its env (409 when the content equals it).',
        extraStatuses: [403, 404, 409],
      },
      schema: { params: ReviewIdParamsSchema, body: ReviseReviewRequestSchema, response: { 200: ReviewSchema } },
    },
    async (request): Promise<ReviewDto> => {
      // The review's path first (a review never changes path), so the decision, inside the
      // transaction, can take the base for whichever env the new content lands in.
      const current = await ctx.store.getReviewState(request.params.id);
      if (
        !current ||
        !mayReadReview(await ctx.policies.current(), readerOf(requireIdentity(request.identity)), current.review)
      )
        throw notFound('Review');
      const inForce = await ctx.policies.current();
      const published = isPolicyReviewPath(current.review.path)
        ? appliedPolicyBase(inForce, inForce.policy.environments[0])
        : await ctx.store.publishedVersions(current.review.path);
      const { state, c } = await act(request, (c) => reviseReview(c, request.body, published));
      return reviewDto(state, c.policy, c.actor, ctx.modelEnv);
    },
  );
  actionRoute(
    '/api/reviews/:id/comments',
    'prompt.read',
    'Comment on an open review.',
    CommentRequestSchema,
    commentOnReview,
  );
  actionRoute(
    '/api/reviews/:id/approve',
    'review.approve',
    'Approve the head named by headHash (409 when the review has moved on).',
    ApproveReviewRequestSchema,
    approveReview,
  );
  actionRoute(
    '/api/reviews/:id/request-changes',
    'review.approve',
    'Request changes; publishing waits until a new revision or your approval.',
    RequestChangesRequestSchema,
    requestChanges,
  );
  actionRoute(
    '/api/reviews/:id/withdraw',
    'review.request',
    'Withdraw (close) the review: its author, or an admin.',
    WithdrawReviewRequestSchema,
    withdrawReview,
  );

  actionRoute(
    '/api/reviews/:id/delivery',
    'prompt.publish',
    "Report where a published review's commit is: on the release branch, or on a branch of its own awaiting a merge into it (a protected release branch). Needs prompt.publish there; 409 when not published, or when it would go back to waiting.",
    ReportDeliveryRequestSchema,
    reportDelivery,
  );

  app.post(
    '/api/reviews/:id/publish',
    {
      config: {
        access: 'signed-in',
        keyAction: 'prompt.publish',
        summary:
          'Publish the approved head: needs prompt.publish there, the approval rule met, headHash equal to the head and its name not published in its env from another path (409 name_taken). Returns the signed release record.',
        extraStatuses: [403, 404, 409],
      },
      schema: {
        params: ReviewIdParamsSchema,
        body: PublishReviewRequestSchema,
        response: { 200: PublishReviewResponseSchema },
      },
    },
    async (request): Promise<PublishReviewResponse> => {
      // Where the head's name is published, read first (like a revision's base): the
      // decision, inside the transaction, checks it against the name it derives itself.
      const current = await ctx.store.getReviewState(request.params.id);
      if (!current) throw notFound('Review');
      const name = current.review.name;
      const names = { name, published: await ctx.store.publishedUnderName(name) };
      const signingKey = await ctx.signingKeys.signingKey();
      const { state, c } = await act(request, (c) => publishReview(c, request.body, signingKey, names)).catch(
        async (err: unknown) => {
          if (!(err instanceof ConflictError) || err.index !== RELEASE_NAME_INDEX) throw err;
          // Another path published the name in this env after the lookup above: the unique
          // index refused this one. Answer as the check would have, naming that path.
          const { path, env } = current.review;
          const published = await ctx.store.publishedUnderName(name);
          throw httpErrorOf(
            takenNameRefusal(path, { name, env }, { name, published }) ??
              refusal('conflict', 'name_taken', `"${name}" was published in ${env} at the same moment; try again.`),
          );
        },
      );
      if (!state.release) throw new Error(`review ${state.review.id} published without a release`);
      return { release: signedReleaseDto(state.release), review: reviewDto(state, c.policy, c.actor, ctx.modelEnv) };
    },
  );
}
