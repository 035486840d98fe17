import type { BuiltinRole } from '../../core/policy/actions';
import { toUser, USER_COLUMNS, type UserRow } from './accountRows';
import type { NewUser, UserPatch, UserRecord } from './records';
import { execute, lock, selectRow, selectRows, type Plan } from './sqlPlan';
import type { AdminGuard, AdminGuardedResult } from './store';
import { INITIAL_ADMIN_MARKER, insertSettingIfAbsent } from './settingPlans';

export function* countUsers(): Plan<number> {
  return Number((yield* selectRow<{ n: number }>('SELECT count(*) AS n FROM users'))?.n ?? 0);
}

export function* getUserById(id: string): Plan<UserRecord | undefined> {
  const row = yield* selectRow<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ?`, id);
  return row && toUser(row);
}

export function* getUserByUsername(username: string): Plan<UserRecord | undefined> {
  const row = yield* selectRow<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.username = ?`, username);
  return row && toUser(row);
}

export function* listUsers(): Plan<UserRecord[]> {
  return (yield* selectRows<UserRow>(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.username`)).map(toUser);
}

export function* hasUserWithDefaultPassword(): Plan<boolean> {
  return (yield* selectRow('SELECT 1 AS one FROM users WHERE default_password LIMIT 1')) !== undefined;
}

/** Run in one transaction (the user row and its emails). */
export function* createUser(user: NewUser): Plan<UserRecord> {
  yield* insertUser(user);
  return yield* mustGetUser(user.id);
}

/** Run in one transaction: the marker makes two processes starting together create the account once. */
export function* createInitialAdmin(user: NewUser): Plan<boolean> {
  if (!(yield* insertSettingIfAbsent(INITIAL_ADMIN_MARKER, new Date(user.now).toISOString()))) return false;
  yield* insertUser(user);
  return true;
}

/** Run in one transaction: `guard` sees the admins counted under the admins lock the write holds. */
export function* updateUser(
  id: string,
  patch: UserPatch,
  now: number,
  guard: AdminGuard,
): Plan<AdminGuardedResult<UserRecord>> {
  const refused = yield* guardAdmins(id, (role) => patch.role ?? role, guard);
  if (refused) return refused;
  if (patch.role !== undefined) yield* execute('UPDATE users SET role = ? WHERE id = ?', patch.role, id);
  if (patch.passwordHash !== undefined) {
    yield* execute('UPDATE users SET password_hash = ?, default_password = FALSE WHERE id = ?', patch.passwordHash, id);
    yield* execute('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?', id, patch.keepSession ?? '');
  }
  if (patch.emails !== undefined) {
    yield* execute('DELETE FROM user_emails WHERE user_id = ?', id);
    yield* insertEmails(id, patch.emails);
    yield* execute('UPDATE users SET emails = ? WHERE id = ?', JSON.stringify(patch.emails), id);
  }
  yield* execute('UPDATE users SET updated_at = ? WHERE id = ?', now, id);
  return { status: 'ok', value: yield* mustGetUser(id) };
}

/** Run in one transaction; the user's sessions go too. */
export function* deleteUser(id: string, guard: AdminGuard): Plan<AdminGuardedResult<void>> {
  const refused = yield* guardAdmins(id, () => undefined, guard);
  if (refused) return refused;
  // Sessions go with the user (also by cascade); explicit so it never depends on SQLite's pragma.
  yield* execute('DELETE FROM sessions WHERE user_id = ?', id);
  yield* execute('DELETE FROM user_emails WHERE user_id = ?', id);
  yield* execute('DELETE FROM users WHERE id = ?', id);
  return { status: 'ok', value: undefined };
}

/**
 * Reads the user's role and the admins under the admins lock and asks `guard` about the
 * change to `nextRole` (undefined: removed); the refusal, if any.
 */
function* guardAdmins(
  id: string,
  nextRole: (role: BuiltinRole) => BuiltinRole | undefined,
  guard: AdminGuard,
): Plan<{ status: 'not_found' } | { status: 'last_admin' } | undefined> {
  yield* lock('admins');
  const current = yield* selectRow<{ role: BuiltinRole }>('SELECT role FROM users WHERE id = ?', id);
  if (!current) return { status: 'not_found' };
  const counted = yield* selectRow<{ n: number }>("SELECT count(*) AS n FROM users WHERE role = 'admin'");
  const admins = Number(counted?.n ?? 0);
  return guard({ role: current.role, nextRole: nextRole(current.role), admins }) ? undefined : { status: 'last_admin' };
}

export function* insertUser(user: NewUser): Plan<void> {
  yield* execute(
    `INSERT INTO users (id, username, password_hash, role, default_password, created_at, updated_at, emails)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    user.id,
    user.username,
    user.passwordHash,
    user.role,
    user.defaultPassword,
    user.now,
    user.now,
    JSON.stringify(user.emails),
  );
  yield* insertEmails(user.id, user.emails);
}

function* insertEmails(userId: string, emails: readonly string[]): Plan<void> {
  for (const [i, email] of emails.entries()) {
    yield* execute('INSERT INTO user_emails (email, user_id, position) VALUES (?, ?, ?)', email, userId, i);
  }
}

function* mustGetUser(id: string): Plan<UserRecord> {
  const user = yield* getUserById(id);
  if (!user) throw new Error(`user ${id} vanished after write`);
  return user;
}
