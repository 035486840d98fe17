import { isServiceAccount } from '../auth/serviceAccounts';
import type { UserRecord } from '../store/records';

/** What the audit log keeps of a user: never the password hash. */
export function auditedUser(user: UserRecord): {
  id: string;
  username: string;
  role: string;
  emails: string[];
  serviceAccount?: true;
} {
  const audited = { id: user.id, username: user.username, role: user.role, emails: user.emails };
  return isServiceAccount(user) ? { ...audited, serviceAccount: true } : audited;
}
