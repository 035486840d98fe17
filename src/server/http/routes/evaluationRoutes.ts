import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EvaluationRunRecord } from '../../../core/eval/evaluationRun';
import {
  EvaluationRunDtoSchema,
  EvaluationRunListResponseSchema,
  type EvaluationRunDto,
  type EvaluationRunListResponse,
} from '../../../shared/api/evaluations';
import { ReviewIdParamsSchema } from '../../../shared/api/reviews';
import { auditActor } from '../../audit/auditActor';
import { mayReadReview, readerOf } from '../../reviews/readAccess';
import { reviewActorOf } from '../../reviews/reviewActor';
import { runReviewEvaluation } from '../../reviews/evaluationRunAction';
import { orRefused } from '../refusalResponse';
import type { ReviewState } from '../../store/reviewRecords';
import { notFound } from '../httpError';
import { requireIdentity } from '../routeAccess';
import type { ServerContext } from '../serverContext';

function runDto(run: EvaluationRunRecord, state: ReviewState): EvaluationRunDto {
  return {
    ...run,
    createdAt: new Date(run.createdAt).toISOString(),
    current: run.revision === state.review.revision && run.sha256 === state.review.reviewedHash,
  };
}

/**
 * The server's own evaluations of a review's head: run (action `evaluation.run`,
 * decided and stored by reviews/evaluationRunAction.ts) and list (whoever may read the
 * review). A run is stored bound to the revision and sha256 it evaluated; publishing
 * under a rule with `evaluations` needs a passing one of the head.
 */
export function registerEvaluationRoutes(untyped: FastifyInstance, ctx: ServerContext): void {
  // Request and reply types follow from the shared API's TypeBox schemas.
  const app = untyped.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/reviews/:id/evaluations',
    {
      config: {
        access: 'signed-in',
        keyAction: 'evaluation.run',
        summary:
          "Run the evaluation of the review's head on the server's model (its testData and evaluators plus the dataset uploaded with the revision, each case `runs` times as the approval rule says) and store the run bound to the head's reviewedHash. Needs evaluation.run on the prompt. 429 when the head revision already has PROMPTOPS_EVAL_MAX_RUNS_PER_REVISION runs (default 5).",
        extraStatuses: [403, 404, 409, 422, 429, 502, 503],
      },
      schema: { params: ReviewIdParamsSchema, response: { 201: EvaluationRunDtoSchema } },
    },
    async (request, reply): Promise<EvaluationRunDto> => {
      const identity = requireIdentity(request.identity);
      const actor = orRefused(reviewActorOf(identity));
      const after = orRefused(
        await runReviewEvaluation(ctx, {
          reviewId: request.params.id,
          actor,
          policy: await ctx.policies.current(),
          auditActor: auditActor(identity, request),
        }),
      );
      reply.code(201);
      return runDto(after.evaluations[after.evaluations.length - 1], after);
    },
  );

  app.get(
    '/api/reviews/:id/evaluations',
    {
      config: {
        access: 'signed-in',
        keyAction: 'prompt.read',
        summary: "The server's evaluation runs of a review, oldest first; `current` marks runs of its head.",
        extraStatuses: [404],
      },
      schema: {
        params: ReviewIdParamsSchema,
        response: { 200: EvaluationRunListResponseSchema },
      },
    },
    async (request): Promise<EvaluationRunListResponse> => {
      const identity = requireIdentity(request.identity);
      const policy = await ctx.policies.current();
      const state = await ctx.store.getReviewState(request.params.id);
      if (!state || !mayReadReview(policy, readerOf(identity), state.review)) throw notFound('Review');
      return { runs: state.evaluations.map((r) => runDto(r, state)) };
    },
  );
}
