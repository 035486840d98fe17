import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store';
import { hashPassword } from './passwordHashing';

/** The seed: "The default admin account is admin / admin, created on first start." */
export const INITIAL_ADMIN = { username: 'admin', password: 'admin' } as const;

/** Creates `admin`/`admin` once per database, ever; true when it was created by this call. */
export async function ensureInitialAdmin(store: Store, now: number): Promise<boolean> {
  // Cheap check first: argon2 hashing costs ~50 ms and is only needed on a fresh database.
  if ((await store.countUsers()) > 0) return false;
  return store.createInitialAdmin({
    id: randomUUID(),
    username: INITIAL_ADMIN.username,
    passwordHash: await hashPassword(INITIAL_ADMIN.password),
    role: 'admin',
    emails: [],
    defaultPassword: true,
    now,
  });
}
