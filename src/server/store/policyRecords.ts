/** One applied version of the access file. Versions only grow; the newest is in force. */
export interface PolicyVersionRecord {
  version: number;
  content: string;
  /** sha256 of the content's UTF-8 bytes, lowercase hex. */
  sha256: string;
  /** Username, or null for the static token. */
  appliedBy: string | null;
  appliedAt: number;
}

export interface NewPolicyVersion {
  content: string;
  sha256: string;
  appliedBy: string | null;
  now: number;
  /** Workspace names the file declares; missing ones are created, none are deleted. */
  workspaces: readonly string[];
}
