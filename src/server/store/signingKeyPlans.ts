import type { SigningKeyRecord } from './records';
import { execute, selectRow, selectRows, type Plan } from './sqlPlan';

const SIGNING_KEY_COLUMNS = 'fingerprint, user_id, public_key, comment, created_at';

interface SigningKeyRow {
  fingerprint: string;
  user_id: string;
  public_key: string;
  comment: string;
  created_at: number;
}

function toSigningKey(row: SigningKeyRow): SigningKeyRecord {
  return {
    fingerprint: row.fingerprint,
    userId: row.user_id,
    publicKey: row.public_key,
    comment: row.comment,
    createdAt: row.created_at,
  };
}

export function* addSigningKey(key: SigningKeyRecord): Plan<SigningKeyRecord> {
  yield* execute(
    'INSERT INTO signing_keys (fingerprint, user_id, public_key, comment, created_at) VALUES (?, ?, ?, ?, ?)',
    key.fingerprint,
    key.userId,
    key.publicKey,
    key.comment,
    key.createdAt,
  );
  return key;
}

export function* listSigningKeys(userId?: string): Plan<SigningKeyRecord[]> {
  const rows = yield* userId === undefined
    ? selectRows<SigningKeyRow>(`SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys ORDER BY created_at, fingerprint`)
    : selectRows<SigningKeyRow>(
        `SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys WHERE user_id = ? ORDER BY created_at, fingerprint`,
        userId,
      );
  return rows.map(toSigningKey);
}

export function* removeSigningKey(userId: string, fingerprint: string): Plan<SigningKeyRecord | undefined> {
  const row = yield* selectRow<SigningKeyRow>(
    `DELETE FROM signing_keys WHERE user_id = ? AND fingerprint = ? RETURNING ${SIGNING_KEY_COLUMNS}`,
    userId,
    fingerprint,
  );
  return row && toSigningKey(row);
}
