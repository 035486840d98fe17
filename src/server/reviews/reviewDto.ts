import { evalDatasetPath } from '../../core/eval/evalDatasetPath';
import { contentSha256 } from '../../core/release/contentHash';
import { pickSignedRelease, type SignedRelease } from '../../core/release/releaseRecordSchema';
import type { ReleaseDto, SignedReleaseDto } from '../../shared/api/releases';
import type {
  ActionPermissionDto,
  ReviewDto,
  ReviewPermissionsDto,
  ReviewSummaryDto,
  RevisionDto,
} from '../../shared/api/reviews';
import type { PolicyInForce } from '../policy/policyInForce';
import type { ReleaseRow, ReviewState, ReviewSummaryRecord, RevisionRecord } from '../store/reviewRecords';
import { approvalProgress } from './approvalProgress';
import { reviewEvaluationDto } from './reviewEvaluationDto';
import { STATIC_TOKEN_NOT_A_USER, type ReviewActor } from './reviewActor';
import { reviewPermission, type ReviewAction } from './reviewPermissions';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export function reviewSummaryDto(review: ReviewSummaryRecord): ReviewSummaryDto {
  return {
    id: review.id,
    path: review.path,
    name: review.name,
    workspace: review.workspace,
    env: review.env,
    status: review.status,
    author: review.author,
    note: review.note,
    baseHash: review.baseHash,
    headHash: review.headHash,
    reviewedHash: review.reviewedHash,
    revision: review.revision,
    gitBranch: review.gitBranch,
    gitCommit: review.gitCommit,
    createdAt: iso(review.createdAt),
    updatedAt: iso(review.updatedAt),
    closedAt: isoOrNull(review.closedAt),
    closedBy: review.closedBy,
    delivery: review.delivery && { ...review.delivery, at: iso(review.delivery.at) },
  };
}

/** The signed release's fields and nothing else (the definition's, releaseRecordSchema.ts). */
export function signedReleaseDto(release: SignedRelease): SignedReleaseDto {
  return pickSignedRelease(release);
}

export function releaseDto(release: ReleaseRow): ReleaseDto {
  return { id: release.id, ...pickSignedRelease(release) };
}

export function revisionDto(r: RevisionRecord): RevisionDto {
  return {
    number: r.number,
    headHash: r.headHash,
    reviewedHash: r.reviewedHash,
    datasetHash: r.dataset === null ? null : contentSha256(r.dataset),
    note: r.note,
    author: r.author,
    gitBranch: r.gitBranch,
    gitCommit: r.gitCommit,
    createdAt: iso(r.createdAt),
  };
}

/** The whole review for one caller: `actor` undefined is the static token, which may look but not act. */
export function reviewDto(
  state: ReviewState,
  policy: PolicyInForce,
  actor: ReviewActor | undefined,
  modelEnv: NodeJS.ProcessEnv,
): ReviewDto {
  const progress = approvalProgress(state, policy);
  const permission = (action: ReviewAction): ActionPermissionDto => {
    if (!actor) return { allowed: false, reason: STATIC_TOKEN_NOT_A_USER };
    const p = reviewPermission(action, state, actor, policy, progress);
    return { allowed: p.allowed, reason: p.reason };
  };
  const permissions: ReviewPermissionsDto = {
    approve: permission('approve'),
    requestChanges: permission('requestChanges'),
    comment: permission('comment'),
    revise: permission('revise'),
    withdraw: permission('withdraw'),
    publish: permission('publish'),
    evaluate: permission('evaluate'),
  };
  const head = state.revisions[state.revisions.length - 1];
  return {
    ...reviewSummaryDto(state.review),
    baseContent: state.review.baseContent,
    headContent: head.content,
    headDataset: head.dataset === null ? null : { path: evalDatasetPath(state.review.path), content: head.dataset },
    revisions: state.revisions.map(revisionDto),
    verdicts: state.verdicts.map((v) => ({
      id: String(v.id),
      username: v.username,
      verdict: v.verdict,
      note: v.note,
      revision: v.revision,
      headHash: v.headHash,
      createdAt: iso(v.createdAt),
      dismissed: v.dismissedAt !== null,
      dismissedReason: v.dismissedReason,
    })),
    comments: state.comments.map((c) => ({
      id: String(c.id),
      username: c.username,
      body: c.body,
      revision: c.revision,
      createdAt: iso(c.createdAt),
    })),
    approval: {
      rule: {
        required: progress.rule.required,
        from: [...progress.rule.from],
        selfApproval: progress.rule.selfApproval,
      },
      met: progress.met,
      counted: progress.counted,
      ignored: progress.ignored,
      changesRequestedBy: progress.changesRequestedBy,
    },
    evaluation: reviewEvaluationDto(state, progress.rule, modelEnv),
    permissions,
    release: state.release ? signedReleaseDto(state.release) : null,
  };
}
