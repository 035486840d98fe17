import { INVITE_COLUMNS, toInvite, type InviteRecord, type InviteRow } from './inviteRecords';
import type { NewUser } from './records';
import { execute, selectRow, selectRows, type Plan } from './sqlPlan';
import { insertUser } from './userPlans';

export function* createInvite(invite: InviteRecord): Plan<void> {
  yield* execute(
    `INSERT INTO invites (${INVITE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    invite.id,
    invite.secretHash,
    invite.username,
    invite.role,
    invite.createdBy,
    invite.createdAt,
    invite.expiresAt,
    invite.acceptedAt,
    invite.revokedAt,
  );
}

export function* findInvite(id: string): Plan<InviteRecord | undefined> {
  const row = yield* selectRow<InviteRow>(`SELECT ${INVITE_COLUMNS} FROM invites WHERE id = ?`, id);
  return row && toInvite(row);
}

export function* listInvites(): Plan<InviteRecord[]> {
  return (yield* selectRows<InviteRow>(`SELECT ${INVITE_COLUMNS} FROM invites ORDER BY created_at, id`)).map(toInvite);
}

export function* revokeInvite(id: string, now: number): Plan<InviteRecord | undefined> {
  yield* execute(
    'UPDATE invites SET revoked_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL',
    now,
    id,
  );
  return yield* findInvite(id);
}

/** Run in one transaction: the invite is spent exactly when the account is created. */
export function* acceptInvite(id: string, user: NewUser): Plan<'accepted' | 'gone'> {
  const marked = yield* execute(
    'UPDATE invites SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?',
    user.now,
    id,
    user.now,
  );
  if (marked === 0) return 'gone';
  yield* insertUser(user);
  return 'accepted';
}
