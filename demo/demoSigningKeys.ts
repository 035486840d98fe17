/**
 * The sample team's SSH commit-signing keys: one per user, made by `ssh-keygen` in the
 * demo's own folder (never ~/.ssh), kept between runs and registered on the demo server as
 * that user's, so every commit in the sample repository is signed by the person who made it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PromptOpsClient } from '../src/client/promptOpsClient';
import { parseSshSigningKey } from '../src/core/release/sshSigningKey';

/** Username → private key file (its `.pub` beside it), as `git config user.signingkey` names it. */
export type DemoSigningKeys = Map<string, string>;

/**
 * Each user's key in `keyDir`, made when missing (no passphrase: it is a demo). Undefined,
 * with the reason logged, when `ssh-keygen` is not installed and some key is missing.
 */
export function demoSigningKeys(
  keyDir: string,
  usernames: readonly string[],
  log: (line: string) => void,
): DemoSigningKeys | undefined {
  mkdirSync(keyDir, { recursive: true });
  const keys: DemoSigningKeys = new Map();
  for (const username of usernames) {
    const file = join(keyDir, username);
    if (!existsSync(file) || !existsSync(`${file}.pub`)) {
      try {
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${username}@example.com`, '-f', file], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
        log(
          err.code === 'ENOENT'
            ? 'ssh-keygen was not found (install OpenSSH, e.g. apt-get install openssh-client): the sample team gets no signing keys and the sample repository does not require signed commits.'
            : `ssh-keygen could not make ${file} (${err.stderr?.toString().trim() || err.message}): the sample repository does not require signed commits.`,
        );
        return undefined;
      }
    }
    keys.set(username, file);
  }
  return keys;
}

/** Registers each key as its user's on the server (an admin client); true when any was new. */
export async function registerDemoSigningKeys(admin: PromptOpsClient, keys: DemoSigningKeys): Promise<boolean> {
  const users = new Map((await admin.listUsers()).map((u) => [u.username, u.id]));
  let added = false;
  for (const [username, file] of keys) {
    const userId = users.get(username);
    if (userId === undefined) throw new Error(`demo: no user ${username} on the server for the key ${file}`);
    const text = readFileSync(`${file}.pub`, 'utf8');
    const parsed = parseSshSigningKey(text);
    if (!('key' in parsed)) throw new Error(`demo: ${file}.pub: ${parsed.problem}`);
    const registered = await admin.listSigningKeys(userId);
    if (registered.some((k) => k.fingerprint === parsed.key.fingerprint)) continue;
    await admin.addSigningKey(text, userId);
    added = true;
  }
  return added;
}
