import type { ReviewChange, ReviewState } from './reviewRecords';

/** One applied version of the access file. Versions only grow; the newest is in force. */
export interface PolicyVersionRecord {
  version: number;
  content: string;
  /** sha256 of the content's UTF-8 bytes, lowercase hex. */
  sha256: string;
  /** Username, or null for the static token. */
  appliedBy: string | null;
  appliedAt: number;
  /** The commit the access file was applied from; null for versions applied before commits were recorded. */
  commit: string | null;
  /** The signed policy record (`.promptops/policy.lock` text); null for versions applied before signing. */
  signedRecord: string | null;
}

export interface NewPolicyVersion {
  content: string;
  sha256: string;
  appliedBy: string | null;
  now: number;
  commit: string;
  /**
   * The version in force when the request decided against its bar (0: none applied). If
   * another was applied since, the store throws `changed()` and writes nothing.
   */
  basedOn: { version: number; changed(): Error };
  /** Under `policyApprovals`: the review that approved this content, closed in the same transaction. */
  review?: PolicyReviewClaim;
  /** The signed policy record for the version the store assigns (signed inside the transaction). */
  seal(version: number, claimed: ClaimedPolicyReview | undefined): string;
  /** Workspace names the file declares; missing ones are created, none are deleted. */
  workspaces: readonly string[];
}

/**
 * The open reviews of exactly the content being applied, tried in order inside the apply's
 * transaction: the first whose `decide` applies is closed (its writes and audit entry) with
 * the new version; when all refuse, the last refusal is thrown and nothing is written.
 */
export interface PolicyReviewClaim<Refusal = unknown> {
  reviewIds: readonly string[];
  now: number;
  decide(state: ReviewState): ReviewChange<string[], Refusal>;
  /** The error the apply is refused with (nothing written) when every review refuses: the last refusal. */
  refused(refusal: Refusal): Error;
}

/** The review a version was applied on, and the approvals that counted. */
export interface ClaimedPolicyReview {
  reviewId: string;
  approvals: string[];
}
