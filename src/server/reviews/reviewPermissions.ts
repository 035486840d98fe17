import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import { decideOrgAction } from '../../core/policy/orgDecision';
import { isPolicyReviewPath, policyApprovalDecision } from '../../core/review/policyApproval';
import type { Decision } from '../../core/policy/decision';
import type { ApiErrorCode, ApiRequestDto } from '../../shared/api/errors';
import type { PolicyInForce } from '../policy/policyInForce';
import type { ReviewVerdicts } from '../store/reviewRecords';
import type { ApprovalProgress } from './approvalProgress';
import { evaluationGate, type ReviewWithRuns } from './evaluationGate';
import { standingVerdictOf } from './approvalProgress';
import { refusal, type Refusal } from './refusal';
import type { ReviewActor } from './reviewActor';
import { reviewResource } from './reviewResource';

export type ReviewAction = 'approve' | 'requestChanges' | 'comment' | 'revise' | 'withdraw' | 'publish' | 'evaluate';

/** Allowed, or refused: forbidden (the access file or authorship says no) or a conflict with the review's state. */
export type Permission = { allowed: true; reason: string } | { allowed: false; reason: string; refusal: Refusal };

const refuse = (
  refused: 'forbidden' | 'conflict',
  code: ApiErrorCode,
  reason: string,
  request?: ApiRequestDto,
): Permission => ({
  allowed: false,
  reason,
  refusal: refusal(refused, code, reason, request ? { request } : {}),
});

function closedReason(state: ReviewVerdicts): Permission | undefined {
  const { status, closedBy } = state.review;
  if (status === 'published')
    return refuse(
      'conflict',
      'already_published',
      `Review #${state.review.id} is already published${closedBy ? ` (by ${closedBy})` : ''}; it is closed.`,
    );
  if (status === 'withdrawn')
    return refuse(
      'conflict',
      'review_closed',
      `Review #${state.review.id} was withdrawn${closedBy ? ` by ${closedBy}` : ''}; it is closed.`,
    );
  return undefined;
}

const isAuthor = (state: ReviewVerdicts, actor: ReviewActor): boolean => state.review.authorId === actor.userId;

/**
 * Where a review's decisions come from. A prompt review asks the access file about the
 * prompt; a review of the access file itself asks its `policy.apply` rule and is taken
 * live by `promptops apply`, never by publishing. Everything else about a review is the same.
 * Module-level tables, not closures per call: lists ask this for every row of a page.
 */
interface ReviewDecisions {
  comment(state: ReviewWithRuns, policy: PolicyInForce, actor: ReviewActor): Permission;
  approve(state: ReviewWithRuns, policy: PolicyInForce, actor: ReviewActor, progress: ApprovalProgress): Decision;
  revise(state: ReviewWithRuns, policy: PolicyInForce, actor: ReviewActor): Decision;
  publish(state: ReviewWithRuns, policy: PolicyInForce, actor: ReviewActor, progress: ApprovalProgress): Permission;
  evaluate(state: ReviewWithRuns, policy: PolicyInForce, actor: ReviewActor): Permission;
}

const allowedOrRefused = (d: Decision): Permission =>
  d.allowed ? { allowed: true, reason: d.reason } : refuse('forbidden', 'forbidden', d.reason);

const PROMPT_REVIEW_DECISIONS: ReviewDecisions = {
  comment: (state, policy, actor) => {
    const d = policy.compiled.decide(actor, 'prompt.read', reviewResource(state.review));
    return d.allowed
      ? { allowed: true, reason: 'You may comment: you can read this prompt.' }
      : refuse('forbidden', 'forbidden', d.reason);
  },
  // The progress was worked out on the same review with its author: its resource is this decision's.
  approve: (_state, policy, actor, progress) => policy.compiled.decide(actor, 'review.approve', progress.resource),
  revise: (state, policy, actor) => policy.compiled.decide(actor, 'review.request', reviewResource(state.review)),
  publish: (state, policy, actor, progress) => {
    const d = policy.compiled.decide(actor, 'prompt.publish', reviewResource(state.review));
    if (!d.allowed) return refuse('forbidden', 'forbidden', d.reason);
    if (progress.changesRequestedBy.length > 0) {
      return refuse(
        'conflict',
        'changes_requested',
        `Changes were requested by ${progress.changesRequestedBy.join(', ')}; a new revision or their approval is needed first.`,
      );
    }
    if (!progress.met) return refuse('conflict', 'approval_rule_unmet', unmetReason(progress));
    const gate = evaluationGate(state, progress.rule);
    if (!gate.met) return refuse('conflict', 'evaluation_required', gate.reason, gate.request);
    return {
      allowed: true,
      reason: `${d.reason} The approval rule is met (${progress.counted.join(', ')}).${gate.reason ? ` ${gate.reason}` : ''}`,
    };
  },
  evaluate: (state, policy, actor) =>
    allowedOrRefused(policy.compiled.decide(actor, 'evaluation.run', reviewResource(state.review))),
};

/**
 * A review of the access file: approved (or sent back) by users allowed `policy.apply`,
 * never its author; revised by its author while they may still change protected files.
 */
const POLICY_REVIEW_DECISIONS: ReviewDecisions = {
  comment: () => ({ allowed: true, reason: 'You may comment: you can read this change to the access file.' }),
  approve: (state, policy, actor) => policyApprovalDecision(policy.compiled, actor, state.review.author),
  revise: (_state, policy, actor) =>
    policy.compiled.decide(actor, 'review.request', { kind: 'file', path: ACCESS_FILE_PATH }),
  publish: (state) =>
    refuse(
      'conflict',
      'policy_review_required',
      `Review #${state.review.id} changes ${ACCESS_FILE_PATH}: it takes effect with \`promptops apply\` once approved, not by publishing.`,
    ),
  evaluate: (state) =>
    refuse(
      'conflict',
      'policy_review_required',
      `Review #${state.review.id} changes ${ACCESS_FILE_PATH}: it has no evaluation.`,
    ),
};

/**
 * What `actor` may do with the review right now, each with the sentence that explains
 * it. The same function answers the extension's buttons and guards every action, inside
 * the transaction that performs it. Checks run in a fixed order: review closed (conflict),
 * the access file's decision or authorship (forbidden), then the review's own state (conflict).
 */
export function reviewPermission(
  action: ReviewAction,
  state: ReviewWithRuns,
  actor: ReviewActor,
  policy: PolicyInForce,
  progress: ApprovalProgress,
): Permission {
  const closed = closedReason(state);
  if (closed) return closed;
  const decisions = isPolicyReviewPath(state.review.path) ? POLICY_REVIEW_DECISIONS : PROMPT_REVIEW_DECISIONS;
  const id = state.review.id;
  switch (action) {
    case 'comment':
      return decisions.comment(state, policy, actor);
    case 'approve':
    case 'requestChanges': {
      const d = decisions.approve(state, policy, actor, progress);
      if (!d.allowed) return refuse('forbidden', 'forbidden', d.reason);
      if (action === 'approve') {
        const mine = standingVerdictOf(state.verdicts, actor.userId);
        if (mine?.verdict === 'approve')
          return refuse(
            'conflict',
            'already_approved',
            `You already approved revision ${mine.revision} of review #${id}.`,
          );
      }
      return { allowed: true, reason: d.reason };
    }
    case 'revise':
      if (!isAuthor(state, actor))
        return refuse(
          'forbidden',
          'forbidden',
          `Only the author (${state.review.author}) may add a revision to review #${id}.`,
        );
      return allowedOrRefused(decisions.revise(state, policy, actor));
    case 'withdraw':
      if (isAuthor(state, actor)) return { allowed: true, reason: 'You may withdraw your own review.' };
      // Others' reviews: those who administer the org (decided like every org action).
      if (decideOrgAction(actor, 'user.manage').allowed)
        return { allowed: true, reason: 'You may withdraw it: you are an org admin.' };
      return refuse(
        'forbidden',
        'forbidden',
        `Only the author (${state.review.author}) or an admin may withdraw review #${id}.`,
      );
    case 'publish':
      return decisions.publish(state, policy, actor, progress);
    case 'evaluate':
      return decisions.evaluate(state, policy, actor);
  }
}

/** "Needs 2 approvals from reviewer or publisher; 1 counts (rita). Not counted: …" */
export function unmetReason(progress: ApprovalProgress): string {
  const { required, counted, ignored, rule } = progress;
  const from = rule.from.length ? ` from ${rule.from.map((r) => `\`${r}\``).join(' or ')}` : '';
  const have = counted.length ? `${counted.length} counts (${counted.join(', ')})` : 'none counts yet';
  const notCounted = ignored.length ? ` Not counted: ${ignored.map((i) => i.reason).join(' ')}` : '';
  return `The approval rule is not met: it needs ${required} approval${required === 1 ? '' : 's'}${from}; ${have}.${notCounted}`;
}
