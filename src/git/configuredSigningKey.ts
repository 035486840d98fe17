import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parseSshSigningKey, type SshSigningKey } from '../core/release/sshSigningKey';
import type { GitRepository } from './gitRepository';

/** What `git config user.signingkey` names, read the way git reads it for `gpg.format ssh`. */
export type ConfiguredSigningKey =
  | { kind: 'none' }
  | { kind: 'key'; key: SshSigningKey; setting: string }
  | { kind: 'unreadable'; setting: string; problem: string };

/**
 * The SSH public key the committer signs commits with: `user.signingkey` as a literal
 * (`key::ssh-ed25519 …`), a public key file, or a private key file (its `.pub` beside it,
 * else derived by ssh-keygen when the key has no passphrase). Never asks for a passphrase.
 */
export async function configuredSigningKey(repo: GitRepository): Promise<ConfiguredSigningKey> {
  const setting = await repo.configValue('user.signingkey');
  if (setting === undefined) return { kind: 'none' };
  const literal = setting.startsWith('key::') ? setting.slice(5) : setting.startsWith('ssh-') ? setting : undefined;
  if (literal !== undefined) return fromText(literal, setting);
  const path = expandPath(setting, repo.root);
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => e);
  if (text instanceof Error)
    return { kind: 'unreadable', setting, problem: `cannot read ${path} (${text.code ?? text.message})` };
  if (!/PRIVATE KEY-----/.test(text)) return fromText(text, setting);
  const beside = await readFile(`${path}.pub`, 'utf8').catch(() => undefined);
  if (beside !== undefined) return fromText(beside, setting);
  const derived = await publicHalfOf(path);
  return derived === undefined
    ? {
        kind: 'unreadable',
        setting,
        problem: `${path} is a private key with a passphrase and no ${path}.pub beside it; point user.signingkey at the .pub file`,
      }
    : fromText(derived, setting);
}

function fromText(text: string, setting: string): ConfiguredSigningKey {
  const parsed = parseSshSigningKey(text);
  return 'key' in parsed
    ? { kind: 'key', key: parsed.key, setting }
    : { kind: 'unreadable', setting, problem: parsed.problem };
}

/** `~/…` as the shell would expand it; relative paths as git would read them (from the top folder). */
function expandPath(setting: string, root: string): string {
  if (setting === '~' || setting.startsWith('~/')) return join(homedir(), setting.slice(1));
  return isAbsolute(setting) ? setting : join(root, setting);
}

/** `ssh-keygen -y` with an empty passphrase, so an encrypted key fails instead of prompting. */
function publicHalfOf(privatePath: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('ssh-keygen', ['-y', '-P', '', '-f', privatePath], { timeout: 5000 }, (err, stdout) =>
      resolve(err ? undefined : stdout),
    );
  });
}
