import type { AuditCheckpointRecord, AuditFilter, AuditRecord, NewAuditEntry } from './auditRecords';
import type { ClaimedPolicyReview, NewPolicyVersion, PolicyVersionRecord } from './policyRecords';
import type {
  NewReview,
  PublishedName,
  PublishedVersion,
  ReleaseFilter,
  ReleaseRow,
  ReviewChange,
  ReviewFilter,
  ReviewRecord,
  ReviewState,
  ReviewVerdicts,
  UnpublishDecision,
  UnpublishOutcome,
} from './reviewRecords';

type Awaitable<T> = T | Promise<T>;

/**
 * Access-file versions, reviews, releases and the audit log as a dialect runs them
 * (`workflowSql.ts`): synchronously on SQLite, asynchronously on PostgreSQL. The
 * methods mean what the `Store` methods of the same names say.
 */
export interface WorkflowTables {
  currentPolicy(): Awaitable<PolicyVersionRecord | undefined>;
  applyPolicy(
    next: NewPolicyVersion,
    audit: (version: number, created: string[], claimed: ClaimedPolicyReview | undefined) => NewAuditEntry,
  ): Awaitable<PolicyVersionRecord>;
  createReview(review: NewReview, audit: (id: string) => NewAuditEntry): Awaitable<string>;
  getReviewState(id: string): Awaitable<ReviewState | undefined>;
  listReviews(filter: ReviewFilter): Awaitable<ReviewRecord[]>;
  listReviewsWithVerdicts(filter: ReviewFilter): Awaitable<ReviewVerdicts[]>;
  changeReview<R>(id: string, now: number, decide: (state: ReviewState) => ReviewChange<R>): Awaitable<R | undefined>;
  listReleases(filter: ReleaseFilter): Awaitable<ReleaseRow[]>;
  publishedVersions(path: string): Awaitable<PublishedVersion[]>;
  publishedUnderName(name: string): Awaitable<PublishedName[]>;
  unpublishRelease<Refusal>(
    path: string,
    env: string,
    decide: UnpublishDecision<Refusal>,
  ): Awaitable<UnpublishOutcome<Refusal>>;
  appendAudit(entry: NewAuditEntry): Awaitable<void>;
  checkpointAudit(
    sign: (tail: { entryId: string; hash: string }) => AuditCheckpointRecord,
  ): Awaitable<AuditCheckpointRecord | undefined>;
  listAuditCheckpoints(): Awaitable<AuditCheckpointRecord[]>;
  listAudit(filter: AuditFilter): Awaitable<AuditRecord[]>;
}
