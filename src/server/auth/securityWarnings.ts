import type { SecurityWarning } from '../../shared/api/auth';
import type { Store } from '../store/store';
import type { StaticToken } from './staticToken';

/** Default credentials still in use: shown loudly at start and to admins in `GET /api/me`. */
export async function securityWarnings(store: Store, staticToken: StaticToken): Promise<SecurityWarning[]> {
  const warnings: SecurityWarning[] = [];
  if (await store.hasUserWithDefaultPassword()) {
    warnings.push({
      code: 'default-admin-password',
      message:
        'The admin account still has the default password "admin". Change it: PATCH /api/users/:id {"password": …}.',
    });
  }
  if (staticToken.isDefault) {
    warnings.push({
      code: 'default-static-token',
      message:
        'PROMPTOPS_TOKEN is the default "promptops-dev-token", which anyone can use as admin. Set PROMPTOPS_TOKEN to a long random secret.',
    });
  }
  return warnings;
}
