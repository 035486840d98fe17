import { randomUUID } from 'node:crypto';
import type { Action, BuiltinRole } from '../../src/core/policy/actions';
import { newApiKeyToken } from '../../src/server/auth/apiKeyTokens';
import { hashToken, newSessionToken } from '../../src/server/auth/sessionTokens';
import { DEFAULT_STATIC_TOKEN } from '../../src/server/auth/staticToken';
import { startServer, type RunningServer } from '../../src/server/startServer';
import type { ServerOptions } from '../../src/server/serverOptions';
import type { TestBackend } from './serverBackends';

export const STATIC_TOKEN = DEFAULT_STATIC_TOKEN;

/** In-process server on a free loopback port, silent. */
export function startTestServer(backend: TestBackend, extra: ServerOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...backend.options, ...extra });
}

let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${process.pid}x${counter}x${Math.floor(Math.random() * 1e6)}`;
}

/**
 * A user created straight in the store (no argon2 cost; the hash is never checked by
 * these tests), returning its id.
 */
export async function createUserDirect(
  server: RunningServer,
  role: BuiltinRole,
  username = uniqueName(role),
): Promise<string> {
  const id = randomUUID();
  await server.store.createUser({
    id,
    username,
    passwordHash: 'unused',
    role,
    emails: [],
    defaultPassword: false,
    now: Date.now(),
  });
  return id;
}

/** A real session token for the user, stored hashed exactly as sign-in does. */
export async function sessionFor(
  server: RunningServer,
  userId: string,
  times: { createdAt?: number; lastUsedAt?: number; expiresAt?: number } = {},
): Promise<string> {
  const token = newSessionToken();
  const now = Date.now();
  await server.store.createSession({
    tokenHash: hashToken(token),
    userId,
    createdAt: times.createdAt ?? now,
    lastUsedAt: times.lastUsedAt ?? now,
    expiresAt: times.expiresAt ?? now + 60 * 60 * 1000,
  });
  return token;
}

/**
 * A real API key for the user, stored exactly as `POST /api/api-keys` stores it (straight
 * in the store, so a creator who may not create keys can still be given one: a key made
 * before a demotion, say).
 */
export async function apiKeyFor(
  server: RunningServer,
  userId: string,
  actions: Action[],
  extra: { workspaces?: string[]; envs?: string[]; expiresAt?: number; name?: string } = {},
): Promise<{ id: string; token: string }> {
  const { id, token, secretHash } = newApiKeyToken();
  const now = Date.now();
  await server.store.createApiKey({
    id,
    name: extra.name ?? uniqueName('key'),
    secretHash,
    userId,
    scope: {
      actions,
      ...(extra.workspaces && { workspaces: extra.workspaces }),
      ...(extra.envs && { envs: extra.envs }),
    },
    createdAt: now,
    expiresAt: extra.expiresAt ?? now + 60 * 60 * 1000,
    lastUsedAt: null,
  });
  return { id, token };
}
