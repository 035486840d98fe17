import type { BuiltinRole } from '../../core/policy/actions';
import type { AccessReviewFlag, AccessReviewRow } from '../../core/policy/accessReview';

export type { AccessReviewFlag, AccessReviewRow };

/** One account on the server, as the review shows it. */
export interface AccessReviewUserDto {
  username: string;
  role: BuiltinRole;
  serviceAccount: boolean;
  emails: string[];
  signingKeys: number;
  lastSignInAt: string | null;
  /** The last use of each right the audit log records, within the review's window, most recent first. */
  rightsUsed: { right: string; at: string }[];
  apiKeys: { id: string; name: string; expiresAt: string; lastUsedAt: string | null }[];
}

/** `GET /api/access-review?days=N`: every user × workspace × env, and what to act on. */
export interface AccessReviewResponse {
  generatedAt: string;
  days: number;
  /** The access-file version the roles come from; null when none is applied (built-in roles only). */
  policyVersion: number | null;
  users: AccessReviewUserDto[];
  rows: AccessReviewRow[];
  flags: AccessReviewFlag[];
}
