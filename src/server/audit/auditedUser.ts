import type { UserRecord } from '../store/records';

/** What the audit log keeps of a user: never the password hash. */
export function auditedUser(user: UserRecord): { id: string; username: string; role: string; emails: string[] } {
  return { id: user.id, username: user.username, role: user.role, emails: user.emails };
}
