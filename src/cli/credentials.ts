import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What `promptops login` keeps: one server and a session token for it. */
export interface StoredCredentials {
  server: string;
  token: string;
  /** Who signed in (for messages); absent for a pasted token of no user. */
  username?: string;
}

/** `$XDG_CONFIG_HOME/promptops/credentials.json`, else `~/.config/promptops/credentials.json`. */
export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'promptops', 'credentials.json');
}

export function readCredentials(env: NodeJS.ProcessEnv = process.env): StoredCredentials | undefined {
  let text: string;
  try {
    text = readFileSync(credentialsPath(env), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const data = JSON.parse(text) as Partial<StoredCredentials>;
    if (typeof data.server === 'string' && typeof data.token === 'string') {
      return {
        server: data.server,
        token: data.token,
        ...(typeof data.username === 'string' ? { username: data.username } : {}),
      };
    }
  } catch {
    // A damaged file is the same as none: `promptops login` writes a good one.
  }
  return undefined;
}

/**
 * Writes the token readable by its owner only: folder 0700, file 0600 (modes are set
 * explicitly too, since the umask may be looser and the folder may already exist).
 */
export function writeCredentials(credentials: StoredCredentials, env: NodeJS.ProcessEnv = process.env): string {
  const path = credentialsPath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  chmodSync(dirname(path), 0o700);
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

export function removeCredentials(env: NodeJS.ProcessEnv = process.env): void {
  rmSync(credentialsPath(env), { force: true });
}
