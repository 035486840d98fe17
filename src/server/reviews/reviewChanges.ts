import type { KeyObject } from 'node:crypto';
import { signRelease } from '../../core/release/releaseRecord';
import type { PolicyInForce } from '../policy/policyInForce';
import type { NewAuditEntry } from '../store/auditRecords';
import type { PublishedVersion, ReviewState, ReviewWrite } from '../store/reviewRecords';
import { approvalProgress } from './approvalProgress';
import { evaluationGate } from './evaluationGate';
import { takenNameRefusal, type NameLookup } from './nameTaken';
import { promptSubject, subjectResource } from './promptSubject';
import { publishedBase } from './publishedBase';
import { reviewDataset } from './reviewDataset';
import { reviewedHash } from '../../core/review/reviewedHash';
import { refusal, type Refusal } from './refusal';
import type { ReviewActor } from './reviewActor';
import { refused, type ReviewDecision } from './reviewDecision';
import { reviewResource } from './reviewResource';
import type { ReportDeliveryRequest, ReviseReviewRequest } from '../../shared/api/reviews';
import { reviewPermission, type ReviewAction } from './reviewPermissions';

/** Who acts, under which access file, and how the audit log names them. */
export interface ActionContext {
  actor: ReviewActor;
  policy: PolicyInForce;
  auditActor: Pick<NewAuditEntry, 'actor' | 'actorRole' | 'address'>;
  now: number;
}

type Decide = (state: ReviewState) => ReviewDecision<ReviewState>;

const short = (hash: string): string => hash.slice(0, 12);

/**
 * The refusal when `actor` may not do `action` now, in the order a person reads best: the
 * review is closed (conflict), they may not (forbidden), they looked at another head
 * (conflict), then the review's own state (conflict: already approved, rule not met,
 * changes requested).
 */
function guard(
  action: ReviewAction,
  state: ReviewState,
  ctx: ActionContext,
  head?: { hash: string | undefined; field: string },
): Refusal | undefined {
  const permission = reviewPermission(action, state, ctx.actor, ctx.policy, approvalProgress(state, ctx.policy));
  if (permission.allowed) return head ? staleHead(state, head.hash, head.field) : undefined;
  const no = permission.refusal;
  const closedOrForbidden =
    no.refused === 'forbidden' || no.code === 'review_closed' || no.code === 'already_published';
  if (closedOrForbidden || !head) return no;
  return staleHead(state, head.hash, head.field) ?? no;
}

/** A verdict, publish or revision names the head it was made on by its reviewed hash (prompt and dataset). */
function staleHead(state: ReviewState, headHash: string | undefined, field: string): Refusal | undefined {
  if (headHash === undefined || headHash === state.review.reviewedHash) return undefined;
  return refusal(
    'conflict',
    'stale_head',
    `Review #${state.review.id} has moved on: its head is now revision ${state.review.revision} (${short(state.review.reviewedHash)}), not ${short(headHash)}. Reload it and look again.`,
    { field },
  );
}

function apply(
  state: ReviewState,
  ctx: ActionContext,
  action: NewAuditEntry['action'],
  writes: ReviewWrite[],
  before: unknown,
  after: unknown,
): ReviewDecision<ReviewState> {
  return {
    kind: 'apply',
    writes,
    audit: { ...ctx.auditActor, action, targetType: 'review', targetId: state.review.id, before, after },
    result: (next) => next,
  };
}

export function approveReview(ctx: ActionContext, body: { headHash: string; note?: string }): Decide {
  return (state) => {
    const no = guard('approve', state, ctx, { hash: body.headHash, field: 'headHash' });
    if (no) return refused(no);
    const { revision, headHash } = state.review;
    const note = body.note ?? '';
    return apply(
      state,
      ctx,
      'review.approve',
      [{ kind: 'verdict', verdict: 'approve', userId: ctx.actor.userId, username: ctx.actor.username, note }],
      { revision, headHash },
      { verdict: 'approve', revision, headHash, note },
    );
  };
}

export function requestChanges(ctx: ActionContext, body: { note: string; headHash: string }): Decide {
  return (state) => {
    const no = guard('requestChanges', state, ctx, { hash: body.headHash, field: 'headHash' });
    if (no) return refused(no);
    const { revision, headHash } = state.review;
    return apply(
      state,
      ctx,
      'review.request_changes',
      [
        {
          kind: 'verdict',
          verdict: 'request_changes',
          userId: ctx.actor.userId,
          username: ctx.actor.username,
          note: body.note,
        },
      ],
      { revision, headHash },
      { verdict: 'request_changes', revision, headHash, note: body.note },
    );
  };
}

export function commentOnReview(ctx: ActionContext, body: { body: string }): Decide {
  return (state) => {
    const no = guard('comment', state, ctx);
    if (no) return refused(no);
    return apply(
      state,
      ctx,
      'review.comment',
      [{ kind: 'comment', userId: ctx.actor.userId, username: ctx.actor.username, body: body.body }],
      null,
      { revision: state.review.revision, body: body.body },
    );
  };
}

export function withdrawReview(ctx: ActionContext, body: { note?: string }): Decide {
  return (state) => {
    const no = guard('withdraw', state, ctx);
    if (no) return refused(no);
    return apply(
      state,
      ctx,
      'review.withdraw',
      [{ kind: 'close', status: 'withdrawn', by: ctx.actor.username }],
      { status: state.review.status },
      { status: 'withdrawn', note: body.note ?? '' },
    );
  };
}

/**
 * A new head: the server re-derives name, workspace and env from the new content, and
 * the author needs the right to request review where the prompt ends up too; the base is
 * what is published there now (`published`: `Store.publishedVersions` of the review's
 * path). Every standing verdict is dismissed: it was about other content.
 */
export function reviseReview(ctx: ActionContext, body: ReviseReviewRequest, published: PublishedVersion[]): Decide {
  return (state) => {
    const no = guard('revise', state, ctx, { hash: body.expectedHeadHash, field: 'expectedHeadHash' });
    if (no) return refused(no);
    const parsed = promptSubject(state.review.path, body.content, ctx.policy.compiled);
    if (!parsed.ok) return refused(parsed.refusal);
    const subject = parsed.value;
    const dataset = reviewDataset(state.review.path, body.dataset);
    if (!dataset.ok) return refused(dataset.refusal);
    const reviewed = reviewedHash(subject.headHash, dataset.value);
    if (reviewed === state.review.reviewedHash) {
      return refused(
        refusal(
          'invalid',
          'validation_failed',
          `${dataset.value === null ? 'The content is' : 'The content and its dataset are'} identical to the current head (revision ${state.review.revision}); nothing to revise.`,
          { field: 'content' },
        ),
      );
    }
    const moved = ctx.policy.compiled.decide(ctx.actor, 'review.request', subjectResource(state.review.path, subject));
    if (!moved.allowed) return refused(refusal('forbidden', 'forbidden', moved.reason));
    const based = publishedBase(state.review.path, subject, published);
    if (!based.ok) return refused(based.refusal);
    const base = based.value;
    const next = state.review.revision + 1;
    const dismissed = state.verdicts.filter((v) => v.dismissedAt === null).map((v) => v.username);
    const writes: ReviewWrite[] = [
      { kind: 'dismissVerdicts', reason: `Dismissed: revision ${next} changed the content.` },
      {
        kind: 'revision',
        revision: {
          headHash: subject.headHash,
          reviewedHash: reviewed,
          ...base,
          content: body.content,
          dataset: dataset.value,
          note: body.note ?? '',
          gitBranch: body.gitBranch ?? null,
          gitCommit: body.gitCommit ?? null,
          name: subject.name,
          workspace: subject.workspace,
          env: subject.env,
          promptWorkspace: subject.promptWorkspace,
          promptEnv: subject.promptEnv,
        },
      },
    ];
    return apply(
      state,
      ctx,
      'review.revise',
      writes,
      {
        revision: state.review.revision,
        headHash: state.review.headHash,
        reviewedHash: state.review.reviewedHash,
        workspace: state.review.workspace,
        env: state.review.env,
      },
      {
        revision: next,
        headHash: subject.headHash,
        reviewedHash: reviewed,
        baseHash: base.baseHash,
        workspace: subject.workspace,
        env: subject.env,
        dismissedVerdictsOf: dismissed,
      },
    );
  };
}

/**
 * Publishing: the publisher's right, the approval rule met now, no standing change
 * request, the head the publisher names, and its name not published in its env from
 * another path (`names`: `Store.publishedUnderName` of the review's name). The release
 * record is signed here, inside the transaction, so it can only ever describe the state
 * it was checked against.
 */
export function publishReview(
  ctx: ActionContext,
  body: { headHash: string },
  key: { privateKey: KeyObject; keyId: string },
  names: NameLookup,
): Decide {
  return (state) => {
    if (state.release)
      return refused(
        refusal(
          'conflict',
          'already_published',
          `Review #${state.review.id} is already published (by ${state.release.publisher} at ${state.release.publishedAt}).`,
        ),
      );
    const no = guard('publish', state, ctx, { hash: body.headHash, field: 'headHash' });
    if (no) return refused(no);
    const progress = approvalProgress(state, ctx.policy);
    const head = state.revisions[state.revisions.length - 1];
    const parsed = promptSubject(state.review.path, head.content, ctx.policy.compiled);
    if (!parsed.ok) return refused(parsed.refusal);
    const subject = parsed.value;
    const taken = takenNameRefusal(state.review.path, subject, names);
    if (taken) return refused(taken);
    // guard() refused unless the gate is met; the run it found is the one the record names.
    const gate = evaluationGate(state, progress.rule);
    const evaluation = gate.met && gate.run ? { evaluation: gate.run.digest } : {};
    const release = signRelease(
      {
        path: state.review.path,
        name: subject.name,
        workspace: subject.workspace,
        env: subject.env,
        sha256: state.review.headHash,
        reviewId: state.review.id,
        author: state.review.author,
        approvers: progress.counted,
        publisher: ctx.actor.username,
        publishedAt: new Date(ctx.now).toISOString(),
        keyId: key.keyId,
        ...evaluation,
      },
      key.privateKey,
    );
    return apply(
      state,
      ctx,
      'release.publish',
      [
        { kind: 'release', release },
        { kind: 'close', status: 'published', by: ctx.actor.username },
      ],
      { status: state.review.status, revision: state.review.revision, headHash: state.review.headHash },
      release,
    );
  };
}

/**
 * A publisher reports where the publish's commit is (the server cannot see git): on the
 * release branch, or on a branch of its own waiting for a merge into it. Only someone who
 * may publish the prompt there; only a published review; and once on the release branch it
 * never goes back to waiting (a late report from another clone must not undo it).
 */
export function reportDelivery(ctx: ActionContext, body: ReportDeliveryRequest): Decide {
  return (state) => {
    const may = ctx.policy.compiled.decide(ctx.actor, 'prompt.publish', reviewResource(state.review));
    if (!may.allowed) return refused(refusal('forbidden', 'forbidden', may.reason));
    if (!state.release)
      return refused(
        refusal(
          'conflict',
          'not_published',
          `Review #${state.review.id} is not published; there is no commit to report.`,
        ),
      );
    if (body.state === 'release-branch' && body.branch !== body.target)
      return refused(
        refusal(
          'invalid',
          'validation_failed',
          `"branch" must be "target" (${body.target}) when the commit is on the release branch.`,
          { field: 'branch' },
        ),
      );
    const before = state.review.delivery;
    if (before?.state === 'release-branch' && body.state === 'awaiting-merge')
      return refused(
        refusal(
          'conflict',
          'already_on_release_branch',
          `Review #${state.review.id} is already on ${before.target} (${short(before.commit)}, reported by ${before.by}); it does not wait for a merge.`,
        ),
      );
    const delivery = { ...body, by: ctx.actor.username, at: ctx.now };
    return apply(
      state,
      ctx,
      'release.delivery',
      [{ kind: 'delivery', delivery }],
      before && { state: before.state, target: before.target, branch: before.branch, commit: before.commit },
      { state: body.state, target: body.target, branch: body.branch, commit: body.commit },
    );
  };
}
