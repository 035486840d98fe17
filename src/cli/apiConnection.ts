import { normalizeServerUrl, PromptOpsClient } from '../client/promptOpsClient';
import { readCredentials } from './credentials';
import { accessFileServer } from './repoRoot';

/** Where a command talks to: `--server`, else PROMPTOPS_SERVER, else the access file's `server`, else the stored login. */
export function resolveServerUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = flag ?? (env.PROMPTOPS_SERVER || undefined) ?? accessFileServer() ?? readCredentials(env)?.server;
  return url === undefined ? undefined : normalizeServerUrl(url);
}

export class NotSignedInError extends Error {
  override name = 'NotSignedInError';
}

/** A client for the resolved server with PROMPTOPS_API_KEY, else the stored token when it is for this server. */
export function connect(serverFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): PromptOpsClient {
  const server = resolveServerUrl(serverFlag, env);
  if (!server) {
    throw new NotSignedInError(
      'no PromptOps server: run `promptops login --server URL`, or pass --server, or set PROMPTOPS_SERVER, or add `server:` to .promptops/access.yaml',
    );
  }
  // A bot (CI, a release job) signs in with an API key instead of a stored login.
  const apiKey = env.PROMPTOPS_API_KEY || undefined;
  if (apiKey !== undefined) return new PromptOpsClient({ server, token: apiKey });
  const stored = readCredentials(env);
  if (!stored || normalizeServerUrl(stored.server) !== server) {
    throw new NotSignedInError(`not signed in to ${server}: run \`promptops login --server ${server}\``);
  }
  return new PromptOpsClient({ server, token: stored.token });
}
