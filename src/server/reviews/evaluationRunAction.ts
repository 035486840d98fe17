import type { NewAuditEntry } from '../store/auditRecords';
import type { ReviewState } from '../store/reviewRecords';
import type { Store } from '../store/store';
import type { PolicyInForce } from '../policy/policyInForce';
import { approvalProgress } from './approvalProgress';
import { evaluationCapRefusal } from './evaluationCap';
import { evaluationSlotWrite, freeEvaluationSlot, takenSlot } from './evaluationSlot';
import { mayReadReview } from './readAccess';
import { REVIEW_NOT_FOUND, type Refusable, type Refusal } from './refusal';
import type { ReviewActor } from './reviewActor';
import { changeReviewAs } from './reviewChange';
import { evaluateReviewHead } from './reviewEvaluation';
import { reviewPermission } from './reviewPermissions';

/** What a server evaluation run needs from the server: its store, the model's environment, its clock. */
export interface EvaluationRunContext {
  store: Store;
  modelEnv: NodeJS.ProcessEnv;
  now: () => number;
}

/** Who asks for the run, under which policy, and how the audit log names them. */
export interface EvaluationRunRequest {
  reviewId: string;
  actor: ReviewActor;
  policy: PolicyInForce;
  auditActor: Pick<NewAuditEntry, 'actor' | 'actorRole' | 'address'>;
}

/**
 * Runs the evaluation of the review's head on the server's model and stores the run
 * (action `evaluation.run`), answering with the review as stored after it. The cap is
 * checked early (cheap), again as a slot is taken in the transaction that reserves the
 * run, and once more as the run is stored; the slow part (model calls) runs outside any
 * transaction, on the head the slot was taken for. A run that stores nothing frees its slot.
 * A review the caller may not read does not exist for them.
 */
export async function runReviewEvaluation(
  ctx: EvaluationRunContext,
  { reviewId, actor, policy, auditActor }: EvaluationRunRequest,
): Promise<Refusable<ReviewState>> {
  const state = await ctx.store.getReviewState(reviewId);
  if (!state || !mayReadReview(policy, actor, state.review)) return { ok: false, refusal: REVIEW_NOT_FOUND };
  const refusedNow = (s: ReviewState, ownSlot?: string): Refusal | undefined => {
    const allowed = reviewPermission('evaluate', s, actor, policy, approvalProgress(s, policy));
    return allowed.allowed ? evaluationCapRefusal(s, ctx.modelEnv, ctx.now(), ownSlot) : allowed.refusal;
  };
  const early = refusedNow(state);
  if (early) return { ok: false, refusal: early };
  const ruleOf = (s: ReviewState) => approvalProgress(s, policy).rule.evaluations ?? { passRate: 1, runs: 1 };

  const taken = await changeReviewAs(ctx.store, reviewId, ctx.now(), (s) => {
    const refused = refusedNow(s);
    if (refused) return { kind: 'refuse', refusal: refused };
    const write = evaluationSlotWrite(s, ruleOf(s), ctx.modelEnv, actor.username, ctx.now());
    return {
      kind: 'apply',
      writes: write ? [write] : [],
      audit: null,
      result: (after) => ({ state: after, slot: write ? takenSlot(after) : undefined }),
    };
  });
  if (!taken) return { ok: false, refusal: REVIEW_NOT_FOUND };
  if (!taken.ok) return taken;
  const { slot } = taken.value;
  let stored = false;
  try {
    const evaluated = await evaluateReviewHead(
      taken.value.state,
      ruleOf(taken.value.state),
      ctx.modelEnv,
      actor.username,
      ctx.now,
    );
    if (!evaluated.ok) return evaluated;
    const run = evaluated.value;
    const after = await changeReviewAs(ctx.store, reviewId, ctx.now(), (s) => {
      // Runs that finished meanwhile count too: never store more than the cap.
      const refused = refusedNow(s, slot);
      if (refused) return { kind: 'refuse', refusal: refused };
      return {
        kind: 'apply',
        writes: [{ kind: 'evaluation', run, ...(slot === undefined ? {} : { slot }) }],
        audit: {
          ...auditActor,
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
    });
    stored = after?.ok === true;
    return after ?? { ok: false, refusal: REVIEW_NOT_FOUND };
  } finally {
    if (slot !== undefined && !stored) await freeEvaluationSlot(ctx.store, reviewId, slot, ctx.now());
  }
}
