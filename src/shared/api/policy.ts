/** The access file as the server holds it: the authority for approvals and publishing. */
export interface PolicyDto {
  /** 1 for the first applied file, then one more per change. */
  version: number;
  content: string;
  /** sha256 of the content's UTF-8 bytes, lowercase hex: compare with the repo's file. */
  sha256: string;
  /** Username, or null when applied with the static token. */
  appliedBy: string | null;
  appliedAt: string;
  /** The commit the access file was applied from (null for versions applied before commits were recorded). */
  commit: string | null;
  /**
   * The server-signed policy record, the text of `.promptops/policy.lock`: serial (the
   * version), commit, contentHash, appliedBy, approvals, appliedAt. Null for versions
   * applied before records were signed.
   */
  record: string | null;
}

export interface ApplyPolicyRequest {
  /** The text of `.promptops/access.yaml` as committed at `commit` (the blob's content). */
  content: string;
  /** The commit on the release branch the content was read from (full sha). */
  commit: string;
}

export interface ApplyPolicyResponse {
  policy: PolicyDto;
  /** False when the content equals the version in force (nothing was stored). */
  changed: boolean;
  /** Workspaces the file declares that the server did not have; created now. */
  createdWorkspaces: string[];
  /**
   * Workspaces the file declares that were deleted through the API: they stay deleted (not
   * re-created, granting nothing) until an admin re-creates one with `POST /api/workspaces`.
   */
  deletedWorkspaces: string[];
}
