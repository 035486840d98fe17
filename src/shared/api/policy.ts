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
}

export interface ApplyPolicyRequest {
  /** The text of `.promptops/access.yaml`. */
  content: string;
}

export interface ApplyPolicyResponse {
  policy: PolicyDto;
  /** False when the content equals the version in force (nothing was stored). */
  changed: boolean;
  /** Workspaces the file declares that the server did not have; created now. */
  createdWorkspaces: string[];
}
