import type { Actor } from '../core/policy/decision';
import { PromptOpsApiError } from '../client/promptOpsApiError';
import { PromptOpsClient } from '../client/promptOpsClient';
import type { GitRepository } from '../git/gitRepository';
import { readCredentials } from './credentials';
import { IdentityError, resolveIdentity, type IdentityOptions } from './resolveIdentity';
import { identityFromSigningKey } from './signingKeyIdentity';

/** Who is acting, and what said so (for the one-line summary a command prints). */
export interface ActingUser extends Actor {
  source: string;
}

const SET_UP_KEY =
  'set up your SSH signing key with promptops signing-key add ~/.ssh/id_ed25519.pub --configure-git ' +
  "(it registers the key and makes git sign this clone's commits with it; in VS Code: PromptOps: Register Signing Key), " +
  'then an admin commits a fresh user directory (promptops directory pull)';

/**
 * The one place the CLI (and so the git hooks) learns who is acting, first that answers:
 * 1. `--user/--role`, else PROMPTOPS_USER + PROMPTOPS_ROLE (scripts, tests, the extension's publish commits);
 * 2. the committer's SSH signing key (`git config user.signingkey`) in the signed user
 *    directory at HEAD: offline, and no token has to leave VS Code's secret storage;
 * 3. whoever `promptops login` signed in, with the org role the server holds for them now.
 * Otherwise an IdentityError that says what to do (and why the key named nobody).
 */
export async function resolveActingUser(
  options: IdentityOptions,
  repo: GitRepository | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ActingUser> {
  const given = options.user !== undefined || options.role !== undefined || env.PROMPTOPS_USER || env.PROMPTOPS_ROLE;
  if (given) {
    const fromFlags = options.user !== undefined || options.role !== undefined;
    return { ...resolveIdentity(options, env), source: fromFlags ? '--user' : 'PROMPTOPS_USER' };
  }
  const byKey = repo ? await identityFromSigningKey(repo) : { kind: 'no-key' as const };
  if (byKey.kind === 'user') return { ...byKey.actor, source: `signing key ${byKey.fingerprint}` };
  const keyProblem = byKey.kind === 'unknown' ? byKey.reason : undefined;

  const stored = readCredentials(env);
  if (!stored) {
    throw new IdentityError(
      keyProblem
        ? `who is committing is unknown: ${keyProblem}; or sign in with \`promptops login\``
        : `who is committing is unknown: ${SET_UP_KEY}; or sign in with \`promptops login\` (scripts: --user and --role, or PROMPTOPS_USER and PROMPTOPS_ROLE)`,
    );
  }
  const me = await new PromptOpsClient({ server: stored.server, token: stored.token }).me().catch((err: unknown) => {
    if (err instanceof PromptOpsApiError && err.status === 0) {
      throw new IdentityError(
        `${err.message} To check offline, ${keyProblem ? `fix your signing key: ${keyProblem}` : SET_UP_KEY}.`,
      );
    }
    throw err;
  });
  if (!me.user)
    throw new IdentityError(
      'the stored login is the static admin token, which is no user: sign in as a user, or pass --user and --role',
    );
  return { username: me.user.username, role: me.role, source: `promptops login (${stored.server})` };
}
