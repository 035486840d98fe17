import type { PageBounds } from './pagedSelect';

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
  /** `refused`: the action was not allowed (or failed a check); `reason` says why. */
  outcome: 'done' | 'refused';
  reason: string | null;
  /** The hash chain (src/core/audit/auditChain.ts); null for entries older than the chain. */
  prevHash: string | null;
  hash: string | null;
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
  | 'review.evaluate'
  | 'review.policy_applied'
  | 'release.publish'
  | 'release.delivery'
  | 'release.unpublish'
  | 'apikey.create'
  | 'apikey.revoke'
  | 'invite.create'
  | 'invite.revoke'
  | 'invite.accept'
  | 'server.key.rotate';

export type AuditTargetType =
  'session' | 'user' | 'workspace' | 'policy' | 'review' | 'release' | 'apikey' | 'invite' | 'server_key';

/** What a caller appends: the store chains it (prevHash, hash); outcome defaults to `done`. */
export type NewAuditEntry = Omit<AuditRecord, 'id' | 'outcome' | 'reason' | 'prevHash' | 'hash'> & {
  outcome?: 'done' | 'refused';
  reason?: string | null;
};

/** A checkpoint as stored: the chain's hash at one entry, signed with the release key. */
export interface AuditCheckpointRecord {
  entryId: string;
  hash: string;
  at: number;
  keyId: string;
  signature: string;
}

export interface AuditFilter extends PageBounds {
  actor?: string;
  outcome?: 'done' | 'refused';
  action?: string;
  /** Inclusive, epoch ms. */
  since?: number;
  /** Exclusive, epoch ms. */
  until?: number;
}
