import type { BuiltinRole } from '../../core/policy/actions';

/** An invite as stored: never the token, only the sha256 of it (as for API keys). */
export interface InviteRecord {
  /** Public id, part of the token (`poi_<id>_<secret>`): how a presented invite is found. */
  id: string;
  secretHash: string;
  /** Normalised; the account the invitee gets. */
  username: string;
  role: BuiltinRole;
  /** Who invited: a username, or `PROMPTOPS_TOKEN`. */
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
  revokedAt: number | null;
}

export type InviteState = 'pending' | 'accepted' | 'revoked' | 'expired';

export function inviteState(invite: InviteRecord, now: number): InviteState {
  if (invite.acceptedAt !== null) return 'accepted';
  if (invite.revokedAt !== null) return 'revoked';
  return invite.expiresAt <= now ? 'expired' : 'pending';
}

/** The row shape both stores read. */
export interface InviteRow {
  id: string;
  secret_hash: string;
  username: string;
  role: BuiltinRole;
  created_by: string;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  revoked_at: number | null;
}

const numberOrNull = (n: number | null): number | null => (n === null ? null : Number(n));

export function toInvite(row: InviteRow): InviteRecord {
  return {
    id: row.id,
    secretHash: row.secret_hash,
    username: row.username,
    role: row.role,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    acceptedAt: numberOrNull(row.accepted_at),
    revokedAt: numberOrNull(row.revoked_at),
  };
}

export const INVITE_COLUMNS =
  'id, secret_hash, username, role, created_by, created_at, expires_at, accepted_at, revoked_at';
