/** One audit log entry. The log is append-only: no route changes or removes entries. */
export interface AuditEntryDto {
  id: string;
  at: string;
  /** Username; `PROMPTOPS_TOKEN` for the static token; for a failed sign-in, the name tried. */
  actor: string | null;
  actorRole: string | null;
  /** e.g. `session.login`, `user.update`, `policy.apply`, `review.approve`, `release.publish`. */
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  /** Client address, where the action came over HTTP. */
  address: string | null;
  /** `refused`: the action was not allowed; `reason` is what the server answered. */
  outcome: 'done' | 'refused';
  reason: string | null;
  /** The hash chain: the entry before's hash, and this entry's (null before the chain began). */
  prevHash: string | null;
  hash: string | null;
}

/** A signed statement of the chain's hash at one entry (Ed25519 with the release key). */
export interface AuditCheckpointDto {
  entryId: string;
  hash: string;
  at: number;
  keyId: string;
  signature: string;
}

export interface AuditCheckpointsResponse {
  checkpoints: AuditCheckpointDto[];
}

export interface AuditQuery {
  actor?: string;
  outcome?: 'done' | 'refused';
  /** An exact action, or a family: `review.*`. */
  action?: string;
  /** ISO 8601, inclusive. */
  since?: string;
  /** ISO 8601, exclusive. */
  until?: string;
  cursor?: string;
  limit?: number;
}

export interface AuditListResponse {
  entries: AuditEntryDto[];
  nextCursor: string | null;
}
