import type { KeyObject } from 'node:crypto';
import { signRelease } from '../../core/release/releaseRecord';
import { HttpError, invalidField } from '../http/httpError';
import type { PolicyInForce } from '../policy/policyInForce';
import type { NewAuditEntry } from '../store/auditRecords';
import type { PublishedVersion, ReviewChange, ReviewState, ReviewWrite } from '../store/reviewRecords';
import { approvalProgress } from './approvalProgress';
import { evaluationGate } from './evaluationGate';
import { refuseTakenName, type NameLookup } from './nameTaken';
import { promptSubject, subjectResource } from './promptSubject';
import { publishedBase } from './publishedBase';
import type { ReviewActor } from './reviewActor';
import { reviewResource } from './reviewResource';
import type { ReportDeliveryRequest } from '../../shared/api/reviews';
import { reviewPermission, type ReviewAction } from './reviewPermissions';

/** Who acts, under which access file, and how the audit log names them. */
export interface ActionContext {
  actor: ReviewActor;
  policy: PolicyInForce;
  auditActor: Pick<NewAuditEntry, 'actor' | 'actorRole' | 'address'>;
  now: number;
}

type Decide = (state: ReviewState) => ReviewChange<ReviewState>;

const short = (hash: string): string => hash.slice(0, 12);

/**
 * Throws the refusal when `actor` may not do `action` now, in the order a person reads
 * best: the review is closed (409), they may not (403), they looked at another head (409),
 * then the review's own state (409: already approved, rule not met, changes requested).
 */
function guard(
  action: ReviewAction,
  state: ReviewState,
  ctx: ActionContext,
  head?: { hash: string | undefined; field: string },
): void {
  const permission = reviewPermission(action, state, ctx.actor, ctx.policy, approvalProgress(state, ctx.policy));
  const refuse = (): never => {
    if (permission.allowed) throw new Error('unreachable');
    throw new HttpError(
      permission.status,
      permission.code,
      permission.reason,
      undefined,
      {},
      undefined,
      permission.request,
    );
  };
  const closedOrForbidden =
    !permission.allowed &&
    (permission.status === 403 || permission.code === 'review_closed' || permission.code === 'already_published');
  if (closedOrForbidden) refuse();
  if (head) staleHead(state, head.hash, head.field);
  if (!permission.allowed) refuse();
}

function staleHead(state: ReviewState, headHash: string | undefined, field: string): void {
  if (headHash === undefined || headHash === state.review.headHash) return;
  throw new HttpError(
    409,
    'stale_head',
    `Review #${state.review.id} has moved on: its head is now revision ${state.review.revision} (${short(state.review.headHash)}), not ${short(headHash)}. Reload it and look again.`,
    field,
  );
}

function apply(
  state: ReviewState,
  ctx: ActionContext,
  action: NewAuditEntry['action'],
  writes: ReviewWrite[],
  before: unknown,
  after: unknown,
): ReviewChange<ReviewState> {
  return {
    kind: 'apply',
    writes,
    audit: { ...ctx.auditActor, action, targetType: 'review', targetId: state.review.id, before, after },
    result: (next) => next,
  };
}

/** Wraps a decider so an HttpError becomes a refusal (nothing written). */
function refusing(decide: Decide): Decide {
  return (state) => {
    try {
      return decide(state);
    } catch (err) {
      if (err instanceof HttpError) return { kind: 'refuse', error: err };
      throw err;
    }
  };
}

export function approveReview(ctx: ActionContext, body: { headHash: string; note?: string }): Decide {
  return refusing((state) => {
    guard('approve', state, ctx, { hash: body.headHash, field: 'headHash' });
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
  });
}

export function requestChanges(ctx: ActionContext, body: { note: string; headHash: string }): Decide {
  return refusing((state) => {
    guard('requestChanges', state, ctx, { hash: body.headHash, field: 'headHash' });
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
  });
}

export function commentOnReview(ctx: ActionContext, body: { body: string }): Decide {
  return refusing((state) => {
    guard('comment', state, ctx);
    return apply(
      state,
      ctx,
      'review.comment',
      [{ kind: 'comment', userId: ctx.actor.userId, username: ctx.actor.username, body: body.body }],
      null,
      { revision: state.review.revision, body: body.body },
    );
  });
}

export function withdrawReview(ctx: ActionContext, body: { note?: string }): Decide {
  return refusing((state) => {
    guard('withdraw', state, ctx);
    return apply(
      state,
      ctx,
      'review.withdraw',
      [{ kind: 'close', status: 'withdrawn', by: ctx.actor.username }],
      { status: state.review.status },
      { status: 'withdrawn', note: body.note ?? '' },
    );
  });
}

export interface RevisionBody {
  content: string;
  note?: string;
  gitBranch?: string;
  gitCommit?: string;
  expectedHeadHash?: string;
}

/**
 * A new head: the server re-derives name, workspace and env from the new content, and
 * the author needs the right to request review where the prompt ends up too; the base is
 * what is published there now (`published`: `Store.publishedVersions` of the review's
 * path). Every standing verdict is dismissed: it was about other content.
 */
export function reviseReview(ctx: ActionContext, body: RevisionBody, published: PublishedVersion[]): Decide {
  return refusing((state) => {
    guard('revise', state, ctx, { hash: body.expectedHeadHash, field: 'expectedHeadHash' });
    const subject = promptSubject(state.review.path, body.content, ctx.policy.compiled);
    if (subject.headHash === state.review.headHash) {
      throw invalidField(
        'content',
        `The content is identical to the current head (revision ${state.review.revision}); nothing to revise.`,
      );
    }
    const moved = ctx.policy.compiled.decide(ctx.actor, 'review.request', subjectResource(state.review.path, subject));
    if (!moved.allowed) throw new HttpError(403, 'forbidden', moved.reason);
    const base = publishedBase(state.review.path, subject, published);
    const next = state.review.revision + 1;
    const dismissed = state.verdicts.filter((v) => v.dismissedAt === null).map((v) => v.username);
    const writes: ReviewWrite[] = [
      { kind: 'dismissVerdicts', reason: `Dismissed: revision ${next} changed the content.` },
      {
        kind: 'revision',
        revision: {
          headHash: subject.headHash,
          ...base,
          content: body.content,
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
        workspace: state.review.workspace,
        env: state.review.env,
      },
      {
        revision: next,
        headHash: subject.headHash,
        baseHash: base.baseHash,
        workspace: subject.workspace,
        env: subject.env,
        dismissedVerdictsOf: dismissed,
      },
    );
  });
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
  return refusing((state) => {
    if (state.release)
      throw new HttpError(
        409,
        'already_published',
        `Review #${state.review.id} is already published (by ${state.release.publisher} at ${state.release.publishedAt}).`,
      );
    guard('publish', state, ctx, { hash: body.headHash, field: 'headHash' });
    const progress = approvalProgress(state, ctx.policy);
    const head = state.revisions[state.revisions.length - 1];
    const subject = promptSubject(state.review.path, head.content, ctx.policy.compiled);
    refuseTakenName(state.review.path, subject, names);
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
  });
}

/**
 * A publisher reports where the publish's commit is (the server cannot see git): on the
 * release branch, or on a branch of its own waiting for a merge into it. Only someone who
 * may publish the prompt there; only a published review; and once on the release branch it
 * never goes back to waiting (a late report from another clone must not undo it).
 */
export function reportDelivery(ctx: ActionContext, body: ReportDeliveryRequest): Decide {
  return refusing((state) => {
    const may = ctx.policy.compiled.decide(ctx.actor, 'prompt.publish', reviewResource(state.review));
    if (!may.allowed) throw new HttpError(403, 'forbidden', may.reason);
    if (!state.release)
      throw new HttpError(
        409,
        'not_published',
        `Review #${state.review.id} is not published; there is no commit to report.`,
      );
    if (body.state === 'release-branch' && body.branch !== body.target)
      throw invalidField(
        'branch',
        `"branch" must be "target" (${body.target}) when the commit is on the release branch.`,
      );
    const before = state.review.delivery;
    if (before?.state === 'release-branch' && body.state === 'awaiting-merge')
      throw new HttpError(
        409,
        'already_on_release_branch',
        `Review #${state.review.id} is already on ${before.target} (${short(before.commit)}, reported by ${before.by}); it does not wait for a merge.`,
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
  });
}
