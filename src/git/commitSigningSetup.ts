import type { GitRepository } from './gitRepository';

/**
 * Makes git sign this repository's commits with an SSH key (git 2.34 or later), the way
 * verify and the pre-commit hook identify people: written to `.git/config` only, so other
 * repositories and the user's global settings are left as they are. `keyFile` is the public
 * key file (its private half beside it, or in ssh-agent) as `git config user.signingkey` takes it.
 */
export async function signCommitsWith(repo: GitRepository, keyFile: string): Promise<void> {
  await repo.setLocalConfig('gpg.format', 'ssh');
  await repo.setLocalConfig('user.signingkey', keyFile);
  await repo.setLocalConfig('commit.gpgsign', 'true');
}

/**
 * Whether git signs this repository's commits with an SSH key (what `signCommitsWith` sets,
 * from any level of git config); which key it is, and whether it is readable, is
 * `configuredSigningKey`'s to say.
 */
export async function signsCommits(repo: GitRepository): Promise<boolean> {
  const [format, sign, key] = await Promise.all([
    repo.configValue('gpg.format'),
    repo.configValue('commit.gpgsign'),
    repo.configValue('user.signingkey'),
  ]);
  return format === 'ssh' && /^(true|yes|on|1)$/i.test(sign ?? '') && Boolean(key);
}
