import { BUILTIN_ROLES, isBuiltinRole } from '../core/policy/actions';
import type { Actor } from '../core/policy/decision';

/** Flags a command was given; either both or neither. */
export interface IdentityOptions {
  user?: string;
  role?: string;
}

export class IdentityError extends Error {
  override name = 'IdentityError';
}

/**
 * Who is acting when it is stated: `--user/--role`, else `PROMPTOPS_USER` + `PROMPTOPS_ROLE`.
 * The first source `resolveActingUser` (actingUser.ts) asks; it adds the signing key and the login.
 */
export function resolveIdentity(options: IdentityOptions, env: NodeJS.ProcessEnv = process.env): Actor {
  const fromFlags = options.user !== undefined || options.role !== undefined;
  const user = fromFlags ? options.user : env.PROMPTOPS_USER;
  const role = fromFlags ? options.role : env.PROMPTOPS_ROLE;
  const source = fromFlags ? '--user and --role' : 'PROMPTOPS_USER and PROMPTOPS_ROLE';
  if (!user && !role) {
    throw new IdentityError(
      'who is committing is unknown: sign in with `promptops login`, or pass --user NAME --role ROLE, or set PROMPTOPS_USER and PROMPTOPS_ROLE',
    );
  }
  if (!user || !role) throw new IdentityError(`${source} go together: give both the username and the org role`);
  if (!isBuiltinRole(role))
    throw new IdentityError(
      `unknown org role ${JSON.stringify(role)} (from ${source}); expected one of ${BUILTIN_ROLES.join(', ')}`,
    );
  return { username: user, role };
}
