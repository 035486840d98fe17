import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { MIN_PASSWORD_LENGTH } from '../../shared/api/users';

/** argon2 takes any length, but a huge input is only a way to burn our CPU. */
export const MAX_PASSWORD_LENGTH = 256;
/** zxcvbn's 0–4 scale: 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
export const MIN_PASSWORD_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;

/** Built on first use: loading the dictionaries takes a few hundred ms, needed only when a password is set. */
function strengthEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return estimator;
}

/**
 * Why a password is refused, as a sentence for the user; undefined when it is fine.
 * Applies wherever a password is set (user creation, password change); the first-start
 * `admin`/`admin` is the seed's and is stored without it.
 */
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
  // The username and the product's name are what a guesser tries first.
  const { score, feedback } = strengthEstimator().check(password, [username, 'promptops', 'admin']);
  if (score < MIN_PASSWORD_SCORE) {
    const why = [feedback.warning, ...feedback.suggestions].filter((s): s is string => !!s).join(' ');
    return `Password is too easy to guess${why ? `: ${why}` : '.'}`;
  }
  return undefined;
}
