import type { EvaluationRunDto } from './evaluations';
import type { SignedReleaseDto } from './releases';

export type ReviewStatus = 'open' | 'withdrawn' | 'published';

/**
 * Ask for a review of a prompt change. The server derives workspace and env from `path`
 * and `content` with its own access file (`workspace` and `env` are accepted for
 * convenience and ignored), and the base from its own latest release of the path in that
 * env: a requester cannot send a base (unknown fields are refused), and content equal to
 * the published version is refused (409 `unchanged_from_published`). `headHash`, when
 * sent, must be the sha256 of `content` (a check that nothing was lost in transit).
 */
export interface CreateReviewRequest {
  /** Repo-relative, forward slashes. */
  path: string;
  /** The full proposed file. */
  content: string;
  note?: string;
  gitBranch?: string;
  /**
   * The commit this change is based on (the requester's HEAD, or before their local commit
   * of it), for the reviewer's own git to compare with: never the server's base, which is
   * its own published version.
   */
  gitCommit?: string;
  workspace?: string;
  env?: string;
  headHash?: string;
  /**
   * The `<prompt>.tests.yaml` beside the prompt (its text), when there is one: reviewed with
   * the prompt (it is in `reviewedHash`) and run by the server's evaluation with the
   * prompt's own `testData`. Refused (422, file, line and field) when it is not a valid dataset.
   */
  dataset?: string;
}

export interface ReviseReviewRequest {
  content: string;
  note?: string;
  gitBranch?: string;
  gitCommit?: string;
  /** When sent, the revision is refused (409) unless the review is still at this head (its `reviewedHash`). */
  expectedHeadHash?: string;
  /** As in CreateReviewRequest; left out, the revision has no dataset. */
  dataset?: string;
}

export interface ApproveReviewRequest {
  /** The head you reviewed (its `reviewedHash`); 409 when the review has moved on. */
  headHash: string;
  note?: string;
}

export interface RequestChangesRequest {
  note: string;
  /** The head you reviewed (its `reviewedHash`); 409 when the review has moved on. */
  headHash: string;
}

export interface CommentRequest {
  body: string;
}

export interface WithdrawReviewRequest {
  note?: string;
}

export interface PublishReviewRequest {
  /** The approved head (its `reviewedHash`); 409 when it is not the review's current head. */
  headHash: string;
}

export interface ReviewSummaryDto {
  id: string;
  path: string;
  name: string;
  workspace: string;
  env: string;
  status: ReviewStatus;
  author: string;
  note: string;
  /** The server's published version (its own latest release) this review changes; null when none. */
  baseHash: string | null;
  /** sha256 of the head's prompt file: what a release and the lock record. */
  headHash: string;
  /**
   * What approvals, change requests, publishing and the server's evaluation runs name: equal to
   * `headHash`, or, when the head carries a dataset, the sha256 over the prompt and its dataset.
   */
  reviewedHash: string;
  revision: number;
  gitBranch: string | null;
  gitCommit: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  /** Where the published commit went, as its publisher reported it; null until reported (or not published). */
  delivery: ReviewDeliveryDto | null;
}

/**
 * Where a publish's commit went: `release-branch` (on `target`), or `awaiting-merge`: the
 * release branch is protected, the commit is on `branch`, and the release waits for that
 * branch to be merged into `target` (until someone who may publish reports it there).
 */
export interface ReviewDeliveryDto {
  state: 'release-branch' | 'awaiting-merge';
  target: string;
  branch: string;
  commit: string;
  by: string;
  at: string;
}

/**
 * `POST /api/reviews/:id/delivery`: a publisher reports where the publish's commit is. Needs
 * prompt.publish there; a review whose commit is on the release branch never goes back to
 * waiting (409).
 */
export interface ReportDeliveryRequest {
  state: ReviewDeliveryDto['state'];
  target: string;
  branch: string;
  /** The full commit id. */
  commit: string;
}

/**
 * A review in a list: its summary and, while it is open, how far the approval rule is met
 * (`met` also waits for every standing change request), with who approved the current
 * head (approvals that count) and who asks for changes, so lists can group by state.
 */
export interface ReviewListItemDto extends ReviewSummaryDto {
  approval?: {
    met: boolean;
    approvals: number;
    required: number;
    approvedBy: string[];
    changesRequestedBy: string[];
  };
}

export interface RevisionDto {
  number: number;
  headHash: string;
  reviewedHash: string;
  /** sha256 of the `<prompt>.tests.yaml` uploaded with the revision, or null when it had none. */
  datasetHash: string | null;
  note: string;
  author: string;
  gitBranch: string | null;
  gitCommit: string | null;
  createdAt: string;
}

/** One revision with its content (`GET /api/reviews/:id/revisions/:number`), e.g. to show what changed since it. */
export interface RevisionContentDto extends RevisionDto {
  content: string;
  /** The dataset's text (see `datasetHash`). */
  dataset: string | null;
}

export interface VerdictDto {
  id: string;
  username: string;
  verdict: 'approve' | 'request_changes';
  note: string;
  revision: number;
  headHash: string;
  createdAt: string;
  /** Dismissed by a later revision; a dismissed verdict no longer counts. */
  dismissed: boolean;
  dismissedReason: string | null;
}

export interface CommentDto {
  id: string;
  username: string;
  body: string;
  revision: number;
  createdAt: string;
}

export interface ApprovalStatusDto {
  rule: { required: number; from: string[]; selfApproval: boolean };
  met: boolean;
  /** Users whose approval of the current head counts, in the order they approved. */
  counted: string[];
  /** Approvals that do not count, each with the reason. */
  ignored: { username: string; reason: string }[];
  /** Users whose standing verdict on the current head is "request changes"; publishing waits for them. */
  changesRequestedBy: string[];
}

/** Whether the caller may do something now, and why (a sentence for a tooltip). */
export interface ActionPermissionDto {
  allowed: boolean;
  reason: string;
}

export interface ReviewPermissionsDto {
  approve: ActionPermissionDto;
  requestChanges: ActionPermissionDto;
  comment: ActionPermissionDto;
  revise: ActionPermissionDto;
  withdraw: ActionPermissionDto;
  publish: ActionPermissionDto;
  /** Run the server's evaluation of the head (action `evaluation.run`). */
  evaluate: ActionPermissionDto;
}

/** One case of a run as the panel shows it: its input (the case's values as JSON) and every run's answer and verdicts. */
export interface EvaluationCaseDto {
  name: string;
  /** Null when the case can no longer be read from the evaluated content. */
  input: string | null;
  runs: EvaluationRunDto['cases'][number]['runs'];
}

/** A run of the review, summarised for the panel (the full record: `GET /api/reviews/:id/evaluations`). */
export interface ReviewEvaluationRunDto extends Omit<EvaluationRunDto, 'reviewId' | 'cases' | 'current'> {
  cases: EvaluationCaseDto[];
}

/**
 * The evaluation state of the review's head: what the env's rule asks, whether the gate
 * is met and why, the newest run of exactly this head, and the newest run of an older
 * revision (shown as outdated, never counted).
 */
export interface ReviewEvaluationDto {
  required: boolean;
  passRate: number;
  runs: number;
  /** The gate: not required, or a passing run of the head; `reason` says which, or what is missing. */
  met: boolean;
  reason: string;
  /**
   * How long the server lets a run of the head take (one model timeout per model call);
   * a client waits this long for `POST /api/reviews/:id/evaluations`. Null when no run could start.
   */
  budgetMs: number | null;
  latest: ReviewEvaluationRunDto | null;
  outdated: Omit<ReviewEvaluationRunDto, 'cases'> | null;
}

export interface ReviewDto extends ReviewSummaryDto {
  /** The published version's text (see `baseHash`); null when nothing is published there. */
  baseContent: string | null;
  headContent: string;
  /**
   * The dataset the head carries (`path` is the `<prompt>.tests.yaml` beside the prompt): reviewed
   * with it and run by the server's evaluation; null when the head has none.
   */
  headDataset: { path: string; content: string } | null;
  revisions: RevisionDto[];
  verdicts: VerdictDto[];
  comments: CommentDto[];
  approval: ApprovalStatusDto;
  evaluation: ReviewEvaluationDto;
  /** For the caller. */
  permissions: ReviewPermissionsDto;
  release: SignedReleaseDto | null;
}

export interface ReviewListQuery {
  status?: ReviewStatus;
  workspace?: string;
  env?: string;
  author?: string;
  path?: string;
  /** Only open reviews the caller may approve and has not yet approved at their head. */
  needsMyApproval?: boolean;
  /** Only published reviews whose commit waits for a merge into the release branch. */
  awaitingMerge?: boolean;
  cursor?: string;
  limit?: number;
}

export interface ReviewListResponse {
  reviews: ReviewListItemDto[];
  nextCursor: string | null;
}

export interface PublishReviewResponse {
  release: SignedReleaseDto;
  review: ReviewDto;
}
