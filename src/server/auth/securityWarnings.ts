import type { SecurityWarning } from '../../shared/api/auth';
import { isLoopbackHost } from '../loopback';
import type { Store } from '../store/store';
import { MIN_STATIC_TOKEN_LENGTH, type StaticToken } from './staticToken';

const SET_TOKEN = `set PROMPTOPS_TOKEN to a random secret of at least ${MIN_STATIC_TOKEN_LENGTH} characters, e.g. PROMPTOPS_TOKEN="$(openssl rand -base64 32)"`;

/** Default or weak credentials still in use: shown loudly at start and to admins in `GET /api/me`. */
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
      message: `PROMPTOPS_TOKEN is the default "promptops-dev-token", which anyone can use as admin: ${SET_TOKEN}.`,
    });
  } else if (staticToken.isWeak) {
    warnings.push({
      code: 'weak-static-token',
      message: `PROMPTOPS_TOKEN is shorter than ${MIN_STATIC_TOKEN_LENGTH} characters and works as an admin token: ${SET_TOKEN}.`,
    });
  }
  return warnings;
}

/**
 * Default credentials are for trying the server on this machine. Listening where others
 * can connect while any is in use is refused before the port is opened, with what to set.
 */
export function assertSafeToListen(host: string, warnings: readonly SecurityWarning[]): void {
  if (isLoopbackHost(host) || warnings.length === 0) return;
  const fixes = warnings.map((w) =>
    w.code === 'default-admin-password'
      ? '- the user "admin" still has the password "admin": start once on loopback (promptops serve --host 127.0.0.1), ' +
        'sign in as admin and set a new password (PATCH /api/users/<id> {"password": …}), then start here again'
      : `- ${w.message}`,
  );
  throw new UnsafeListenError(
    [
      `Refusing to listen on ${host}, which other machines can reach, while default credentials are in use:`,
      ...fixes,
      '(On 127.0.0.1 or localhost the defaults keep working, for trying PromptOps out.)',
    ].join('\n'),
  );
}

export class UnsafeListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeListenError';
  }
}
