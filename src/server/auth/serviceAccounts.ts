/**
 * A service account is a user with no password (a release bot): nobody can sign in as it;
 * it acts only through API keys an admin creates for it, with the role admins give it.
 * "No password" is stored as a value no password hash can take, so every store and
 * every existing query keep working unchanged.
 */
export const NO_PASSWORD = '!service-account:no-password';

export function isServiceAccount(user: { passwordHash: string }): boolean {
  return user.passwordHash === NO_PASSWORD;
}
