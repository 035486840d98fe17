import type { Actor } from '../core/policy/decision';
import { PromptOpsApiError } from '../client/promptOpsApiError';
import { PromptOpsClient } from '../client/promptOpsClient';
import { readCredentials } from './credentials';
import { IdentityError, resolveIdentity, type IdentityOptions } from './resolveIdentity';

/**
 * `resolveIdentity` with the signed-in user as the third source: `--user/--role`, else
 * PROMPTOPS_USER + PROMPTOPS_ROLE, else whoever `promptops login` signed in, with the org
 * role the server holds for them now (`GET /api/me`).
 */
export async function resolveIdentityOrSignedIn(
  options: IdentityOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Actor> {
  const given = options.user !== undefined || options.role !== undefined || env.PROMPTOPS_USER || env.PROMPTOPS_ROLE;
  if (given) return resolveIdentity(options, env);
  const stored = readCredentials(env);
  if (!stored) return resolveIdentity(options, env);
  const me = await new PromptOpsClient({ server: stored.server, token: stored.token }).me().catch((err: unknown) => {
    if (err instanceof PromptOpsApiError && err.status === 0) {
      throw new IdentityError(
        `${err.message} To check offline, pass --user and --role or set PROMPTOPS_USER and PROMPTOPS_ROLE.`,
      );
    }
    throw err;
  });
  if (!me.user)
    throw new IdentityError(
      'the stored login is the static admin token, which is no user: sign in as a user, or pass --user and --role',
    );
  return { username: me.user.username, role: me.role };
}
