import type { SecurityWarning } from '../../shared/api/auth';
import { isLoopbackHost } from '../loopback';
import type { Store } from '../store/store';
import { MIN_STATIC_TOKEN_LENGTH, type StaticToken } from './staticToken';

const SET_TOKEN = `set PROMPTOPS_TOKEN to a random secret of at least ${MIN_STATIC_TOKEN_LENGTH} characters, e.g. PROMPTOPS_TOKEN="$(openssl rand -base64 32)"`;

/**
 * Default or weak credentials still in use: shown loudly at start and to admins in every
 * `GET /api/me`. The token cannot change while the process runs, so its warning is
 * computed once. The default admin password only ever goes away (it is set once, on
 * first start, and no password change can bring it back), so once a query has seen it
 * gone no process needs to ask again; until then each call asks the store, so a change
 * made through another process shows on the very next request here too.
 */
export class CredentialWarnings {
  private readonly tokenWarnings: SecurityWarning[];
  private defaultPasswordGone = false;

  constructor(
    private readonly store: Store,
    staticToken: StaticToken,
  ) {
    this.tokenWarnings = staticTokenWarnings(staticToken);
  }

  async current(): Promise<SecurityWarning[]> {
    if (!this.defaultPasswordGone && !(await this.store.hasUserWithDefaultPassword())) {
      this.defaultPasswordGone = true;
    }
    return this.defaultPasswordGone ? this.tokenWarnings : [DEFAULT_ADMIN_PASSWORD, ...this.tokenWarnings];
  }
}

const DEFAULT_ADMIN_PASSWORD: SecurityWarning = {
  code: 'default-admin-password',
  message: 'The admin account still has the default password "admin". Change it: PATCH /api/users/:id {"password": …}.',
};

function staticTokenWarnings(staticToken: StaticToken): SecurityWarning[] {
  if (staticToken.isDefault) {
    return [
      {
        code: 'default-static-token',
        message: `PROMPTOPS_TOKEN is the default "promptops-dev-token", which anyone can use as admin: ${SET_TOKEN}.`,
      },
    ];
  }
  if (staticToken.isWeak) {
    return [
      {
        code: 'weak-static-token',
        message: `PROMPTOPS_TOKEN is shorter than ${MIN_STATIC_TOKEN_LENGTH} characters and works as an admin token: ${SET_TOKEN}.`,
      },
    ];
  }
  return [];
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
