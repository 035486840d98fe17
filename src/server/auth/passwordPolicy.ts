export const MIN_PASSWORD_LENGTH = 8;
/** argon2 takes any length, but a huge input is only a way to burn our CPU. */
export const MAX_PASSWORD_LENGTH = 256;

/** Why a password is refused, as a sentence for the user; undefined when it is fine. */
export function passwordProblem(password: string, username: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `Password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `Password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  }
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) {
    return 'Password must not be the same as the username.';
  }
  return undefined;
}
