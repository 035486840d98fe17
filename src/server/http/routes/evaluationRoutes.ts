import type { FastifyInstance } from 'fastify';
import type { EvaluationRunRecord } from '../../../core/eval/evaluationRun';
import type { EvaluationRunDto, EvaluationRunListResponse } from '../../../shared/api/evaluations';
import { auditActor } from '../../audit/auditActor';
import { approvalProgress } from '../../reviews/approvalProgress';
import { mayReadReview, readerOf } from '../../reviews/readAccess';
import { reviewActorOf } from '../../reviews/reviewActor';
import { evaluateReviewHead } from '../../reviews/reviewEvaluation';
import { evaluationCapRefusal } from '../../reviews/evaluationCap';
import { evaluationSlotWrite, freeEvaluationSlot, takenSlot } from '../../reviews/evaluationSlot';
import { changedOrRefused, httpErrorOf, orRefused, throwIfRefused } from '../refusalResponse';
import { refused, type ReviewDecision } from '../../reviews/reviewDecision';
import { reviewPermission } from '../../reviews/reviewPermissions';
import type { ReviewState } from '../../store/reviewRecords';
import { notFound } from '../httpError';
import { evaluationCaseRunSchema, evaluationSummaryProperties, reviewIdParams } from '../reviewSchemas';
import { requireIdentity } from '../routeAccess';
import type { ServerContext } from '../serverContext';

type IdParams = { Params: { id: string } };

export const evaluationRunSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...Object.keys(evaluationSummaryProperties), 'reviewId', 'cases', 'current'],
  properties: {
    ...evaluationSummaryProperties,
    reviewId: { type: 'string' },
    cases: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'runs'],
        properties: {
          name: { type: 'string' },
          runs: { type: 'array', items: evaluationCaseRunSchema },
        },
      },
    },
    current: { type: 'boolean', description: 'Whether the run is of the review head (its revision and reviewedHash).' },
  },
} as const;

function runDto(run: EvaluationRunRecord, state: ReviewState): EvaluationRunDto {
  return {
    ...run,
    createdAt: new Date(run.createdAt).toISOString(),
    current: run.revision === state.review.revision && run.sha256 === state.review.reviewedHash,
  };
}

/**
 * The server's own evaluations of a review's head: run (action `evaluation.run`) and
 * list (whoever may read the review). A run is stored bound to the revision and sha256
 * it evaluated; publishing under a rule with `evaluations` needs a passing one of the head.
 */
export function registerEvaluationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<IdParams>(
    '/api/reviews/:id/evaluations',
    {
      config: {
        access: 'signed-in',
        keyAction: 'evaluation.run',
        summary:
          "Run the evaluation of the review's head on the server's model (its testData and evaluators plus the dataset uploaded with the revision, each case `runs` times as the approval rule says) and store the run bound to the head's reviewedHash. Needs evaluation.run on the prompt. 429 when the head revision already has PROMPTOPS_EVAL_MAX_RUNS_PER_REVISION runs (default 5).",
        extraStatuses: [403, 404, 409, 422, 429, 502, 503],
      },
      schema: { params: reviewIdParams, response: { 201: evaluationRunSchema } },
    },
    async (request, reply): Promise<EvaluationRunDto> => {
      const identity = requireIdentity(request.identity);
      const actor = orRefused(reviewActorOf(identity));
      const policy = await ctx.policies.current();
      const state = await ctx.store.getReviewState(request.params.id);
      if (!state || !mayReadReview(policy, readerOf(identity), state.review)) throw notFound('Review');
      const allowed = reviewPermission('evaluate', state, actor, policy, approvalProgress(state, policy));
      if (!allowed.allowed) throw httpErrorOf(allowed.refusal);
      // Cheap early refusal; the cap that holds is checked again as the slot is taken.
      throwIfRefused(evaluationCapRefusal(state, ctx.modelEnv, ctx.now()));
      const ruleOf = (s: ReviewState) => approvalProgress(s, policy).rule.evaluations ?? { passRate: 1, runs: 1 };
      const refusedNow = (s: ReviewState, ownSlot?: string) => {
        const again = reviewPermission('evaluate', s, actor, policy, approvalProgress(s, policy));
        return again.allowed ? evaluationCapRefusal(s, ctx.modelEnv, ctx.now(), ownSlot) : again.refusal;
      };
      const taken = await ctx.store.changeReview(
        request.params.id,
        ctx.now(),
        (s): ReviewDecision<{ state: ReviewState; slot: string | undefined }> => {
          const refusedAt = refusedNow(s);
          if (refusedAt) return refused(refusedAt);
          const write = evaluationSlotWrite(s, ruleOf(s), ctx.modelEnv, actor.username, ctx.now());
          return {
            kind: 'apply',
            writes: write ? [write] : [],
            audit: null,
            result: (after) => ({ state: after, slot: write ? takenSlot(after) : undefined }),
          };
        },
      );
      const { state: takenState, slot } = changedOrRefused(taken);
      let stored = false;
      try {
        // The slow part (model calls) runs outside any transaction, on the head the slot was
        // taken for; the run names the revision it evaluated.
        const evaluated = await evaluateReviewHead(
          takenState,
          ruleOf(takenState),
          ctx.modelEnv,
          actor.username,
          ctx.now,
        );
        if (!evaluated.ok) throw httpErrorOf(evaluated.refusal);
        const run = evaluated.value;
        const who = auditActor(identity, request);
        const storedRun = await ctx.store.changeReview(
          request.params.id,
          ctx.now(),
          (s): ReviewDecision<ReviewState> => {
            // Runs that finished meanwhile count too: never store more than the cap.
            const refusedAt = refusedNow(s, slot);
            if (refusedAt) return refused(refusedAt);
            return {
              kind: 'apply',
              writes: [{ kind: 'evaluation', run, ...(slot === undefined ? {} : { slot }) }],
              audit: {
                ...who,
                action: 'review.evaluate',
                targetType: 'review',
                targetId: s.review.id,
                before: null,
                after: {
                  revision: run.revision,
                  sha256: run.sha256,
                  passed: run.passed,
                  passedRuns: run.passedRuns,
                  judgedRuns: run.judgedRuns,
                  runs: run.runs,
                  digest: run.digest,
                },
              },
              result: (next) => next,
            };
          },
        );
        stored = storedRun.kind === 'changed';
        const after = changedOrRefused(storedRun);
        reply.code(201);
        return runDto(after.evaluations[after.evaluations.length - 1], after);
      } finally {
        if (slot !== undefined && !stored) await freeEvaluationSlot(ctx.store, request.params.id, slot, ctx.now());
      }
    },
  );

  app.get<IdParams>(
    '/api/reviews/:id/evaluations',
    {
      config: {
        access: 'signed-in',
        keyAction: 'prompt.read',
        summary: "The server's evaluation runs of a review, oldest first; `current` marks runs of its head.",
        extraStatuses: [404],
      },
      schema: {
        params: reviewIdParams,
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['runs'],
            properties: { runs: { type: 'array', items: evaluationRunSchema } },
          },
        },
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
