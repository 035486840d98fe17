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
  /** The signed policy record for the version the store assigns (signed inside the transaction). */
  seal(version: number): string;
  /** Workspace names the file declares; missing ones are created, none are deleted. */
  workspaces: readonly string[];
}
