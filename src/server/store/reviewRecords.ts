import type { SignedUnpublish } from '../../core/release/unpublishRecord';
import type { EvaluationRunRecord, NewEvaluationRun } from '../../core/eval/evaluationRun';
import type { SignedRelease } from '../../core/release/releaseRecord';
import type { BuiltinRole } from '../../core/policy/actions';
import type { NewAuditEntry } from './auditRecords';
import type { PageBounds } from './pagedSelect';

export type ReviewStatus = 'open' | 'withdrawn' | 'published';
export type Verdict = 'approve' | 'request_changes';

/**
 * A review as lists show and decide it: every stored field but the published base's
 * content (a whole prompt), which only the one review's view needs. Times are epoch ms.
 */
export interface ReviewSummaryRecord {
  id: string;
  path: string;
  /** The prompt's name at the head revision. */
  name: string;
  /** Where the server placed the head revision (its own access file), for listing. */
  workspace: string;
  env: string;
  /** The prompt's own `workspace` / `env` fields at the head, as decisions take them. */
  promptWorkspace: string | null;
  promptEnv: string | null;
  status: ReviewStatus;
  authorId: string;
  author: string;
  note: string;
  /**
   * The server's own latest release of this path in the head's env when the head was
   * proposed (null when none): what "changes against the published version" compares with.
   */
  baseHash: string | null;
  /** sha256 of the head's prompt file (what a release records). */
  headHash: string;
  /** What verdicts, publishing and evaluation runs name (src/core/review/reviewedHash). */
  reviewedHash: string;
  revision: number;
  gitBranch: string | null;
  gitCommit: string | null;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  closedBy: string | null;
  /** Where the published commit went, as its publisher reported it; null until reported. */
  delivery: ReviewDelivery | null;
}

/** A review as stored; the head content lives in its newest revision. */
export interface ReviewRecord extends ReviewSummaryRecord {
  /** The content of `baseHash` (null when none). */
  baseContent: string | null;
}

/**
 * Where a publish's commit went: onto the release branch (`target`), or onto a branch of its
 * own (`branch`) because the release branch is protected, waiting for a merge into `target`.
 * The server cannot see git: a publisher reports it (publish --push, sync).
 */
export interface ReviewDelivery {
  state: 'release-branch' | 'awaiting-merge';
  /** The release branch. */
  target: string;
  /** The branch holding `commit`: `target`, or the publish's own branch. */
  branch: string;
  commit: string;
  by: string;
  at: number;
}

export interface RevisionRecord {
  number: number;
  headHash: string;
  reviewedHash: string;
  content: string;
  /** The `<prompt>.tests.yaml` uploaded with the revision, or null. */
  dataset: string | null;
  note: string;
  gitBranch: string | null;
  gitCommit: string | null;
  author: string;
  createdAt: number;
}

export interface VerdictRecord {
  id: number;
  revision: number;
  headHash: string;
  userId: string;
  username: string;
  verdict: Verdict;
  note: string;
  createdAt: number;
  dismissedAt: number | null;
  dismissedReason: string | null;
  /** The user's org role now; null when the user has since been removed. */
  currentRole: BuiltinRole | null;
}

export interface CommentRecord {
  id: number;
  revision: number;
  username: string;
  body: string;
  createdAt: number;
}

export interface ReleaseRow extends SignedRelease {
  id: string;
  createdAt: number;
}

/** Everything about one review, read in one transaction. */
export interface ReviewState {
  review: ReviewRecord;
  /** Oldest first; the last is the head. */
  revisions: RevisionRecord[];
  /** Oldest first. */
  verdicts: VerdictRecord[];
  comments: CommentRecord[];
  /** Evaluations the server ran, oldest first, each bound to the revision it ran on. */
  evaluations: EvaluationRunRecord[];
  /** Evaluations started and not yet stored or given up, oldest first (see EvaluationSlotRecord). */
  evaluationSlots: EvaluationSlotRecord[];
  release: ReleaseRow | undefined;
}

/**
 * A run of a revision the server has started: reserved in the review's transaction before
 * any model call, so the cap per revision holds for runs at the same moment. Storing the
 * run or its failing frees it; one whose process died stops counting at `expiresAt`.
 */
export interface EvaluationSlotRecord {
  id: string;
  revision: number;
  runBy: string;
  startedAt: number;
  /** The run's budget after its start, plus time to store it: after this the slot is spent. */
  expiresAt: number;
}

/**
 * A review with its verdicts: what its approval progress and who may approve it are
 * decided from (a list's entry, or a whole ReviewState).
 */
export interface ReviewVerdicts {
  review: ReviewSummaryRecord;
  verdicts: VerdictRecord[];
}

/**
 * Narrows a list to reviews a user may approve and has not approved at their head. The
 * placement columns stand in for where the access file places each review: what is left
 * is still decided one by one (reviewPermission), this only keeps pages full.
 */
export interface AwaitingApprovalBy {
  userId: string;
  username: string;
  /** Where the access file lets them approve; where `selfApproval` is false, their own reviews are left out. */
  places: readonly { workspace: string; env: string; selfApproval: boolean }[];
  /** Whether they may approve changes to the access file (never their own). */
  accessFile: boolean;
}

/** What creating a review stores; the id is the store's. */
export type NewReview = Omit<
  ReviewRecord,
  'id' | 'status' | 'revision' | 'updatedAt' | 'closedAt' | 'closedBy' | 'delivery'
> & {
  content: string;
  dataset: string | null;
};

export interface NewRevision {
  headHash: string;
  reviewedHash: string;
  dataset: string | null;
  /** Re-derived with the head: the env may have changed, or a release happened since. */
  baseHash: string | null;
  baseContent: string | null;
  content: string;
  note: string;
  gitBranch: string | null;
  gitCommit: string | null;
  name: string;
  workspace: string;
  env: string;
  promptWorkspace: string | null;
  promptEnv: string | null;
}

/** One write a review action makes; applied in order, in the transaction that read the state. */
export type ReviewWrite =
  | { kind: 'revision'; revision: NewRevision }
  | { kind: 'dismissVerdicts'; reason: string }
  | { kind: 'verdict'; verdict: Verdict; userId: string; username: string; note: string }
  | { kind: 'comment'; userId: string; username: string; body: string }
  | { kind: 'close'; status: 'withdrawn' | 'published'; by: string }
  | { kind: 'release'; release: SignedRelease }
  | { kind: 'delivery'; delivery: ReviewDelivery }
  /** `slot`: the reservation the run was started under, freed as the run is stored. */
  | { kind: 'evaluation'; run: NewEvaluationRun; slot?: string }
  /** Reserves a run of the head; slots of the review past their expiry are cleared first. */
  | { kind: 'evaluationSlot'; revision: number; runBy: string; expiresAt: number }
  | { kind: 'freeEvaluationSlot'; slot: string };

/**
 * The outcome of deciding an action against the locked state: writes plus one audit
 * entry, or a refusal of the caller's own type (nothing written). `R` is what the caller
 * gets back.
 */
export type ReviewChange<R, Refusal = never> =
  | {
      kind: 'apply';
      writes: ReviewWrite[];
      /** null only for bookkeeping no one acted on (an evaluation slot taken or freed). */
      audit: Omit<NewAuditEntry, 'at'> | null;
      result: (after: ReviewState) => R;
    }
  | { kind: 'refuse'; refusal: Refusal };

/** What `Store.changeReview` answers: the decision's result on the new state, its refusal, or no such review. */
export type ReviewOutcome<R, Refusal> =
  { kind: 'changed'; result: R } | { kind: 'refused'; refusal: Refusal } | { kind: 'not_found' };

export interface ReviewFilter extends PageBounds {
  status?: ReviewStatus;
  workspace?: string;
  env?: string;
  author?: string;
  path?: string;
  /** Only published reviews whose commit waits for a merge into the release branch. */
  awaitingMerge?: boolean;
  /** Leaves out reviews placed in these workspaces: the ones the caller may not read (read isolation). */
  hiddenWorkspaces?: readonly string[];
  /** Only reviews this user may approve and has not approved at their head. */
  awaitingApprovalBy?: AwaitingApprovalBy;
}

/** The newest release of a path in one env, with the content it published (its review's head). */
export interface PublishedVersion {
  env: string;
  sha256: string;
  content: string;
}

/** A path whose newest release in `env` publishes a given name (see Store.publishedUnderName). */
export interface PublishedName {
  path: string;
  env: string;
}

export interface ReleaseFilter extends PageBounds {
  path?: string;
  env?: string;
  workspace?: string;
  reviewId?: string;
  /** Leaves out releases in these workspaces: the ones the caller may not read (read isolation). */
  hiddenWorkspaces?: readonly string[];
}

/**
 * Retires the newest release of a path in an env (`Store.unpublishRelease`). `decide` runs
 * inside the transaction with that release, and signs the record or refuses (nothing
 * written; the refusal, of the caller's own type, comes back as the outcome).
 */
export type UnpublishOutcome<Refusal> =
  | { kind: 'unpublished'; record: SignedUnpublish }
  /** The newest release was unpublished before: its record. */
  | { kind: 'already'; record: SignedUnpublish }
  | { kind: 'not_published' }
  | { kind: 'refused'; refusal: Refusal };

export type UnpublishDecision<Refusal> = (
  newest: ReleaseRow,
) => { kind: 'unpublish'; record: SignedUnpublish; audit: NewAuditEntry } | { kind: 'refuse'; refusal: Refusal };
