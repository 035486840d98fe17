/** One line of the append-only audit log. `before`/`after` are JSON values (never secrets). */
export interface AuditRecord {
  id: number;
  at: number;
  /** Username, `PROMPTOPS_TOKEN` for the static token, or the attempted username of a failed sign-in. */
  actor: string | null;
  actorRole: string | null;
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: string | null;
  before: unknown;
  after: unknown;
  address: string | null;
}

export type AuditAction =
  | 'session.login'
  | 'session.login_failed'
  | 'session.logout'
  | 'user.create'
  | 'user.update'
  | 'user.delete'
  | 'user.signing_key.add'
  | 'user.signing_key.remove'
  | 'workspace.create'
  | 'workspace.delete'
  | 'policy.apply'
  | 'review.create'
  | 'review.revise'
  | 'review.comment'
  | 'review.approve'
  | 'review.request_changes'
  | 'review.withdraw'
  | 'release.publish';

export type AuditTargetType = 'session' | 'user' | 'workspace' | 'policy' | 'review' | 'release';

export type NewAuditEntry = Omit<AuditRecord, 'id'>;

export interface AuditFilter {
  actor?: string;
  action?: string;
  /** Inclusive, epoch ms. */
  since?: number;
  /** Exclusive, epoch ms. */
  until?: number;
  /** Entries with ids below this (newest first paging). */
  beforeId?: number;
  limit: number;
}
