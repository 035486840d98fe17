import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from '../../src/server/startServer';
import { ROOT } from './cli';
import { STATIC_TOKEN } from './serverFixtures';
import { errorOf, http, type HttpResult } from './serverHttp';

export const PROMPTLAYER_ACCESS = readFileSync(join(ROOT, 'test/fixtures/policies/promptlayer.access.yaml'), 'utf8');

/** A commit id for applies whose commit does not matter to the test (the server records it, it has no git). */
export const SOME_COMMIT = '0123456789abcdef0123456789abcdef01234567';

/** Applies an access file as the static admin token; throws when refused. */
export async function applyAccessFile(server: RunningServer, content: string): Promise<void> {
  const res = await http(server.url, {
    method: 'PUT',
    path: '/api/policy',
    token: STATIC_TOKEN,
    body: { content, commit: SOME_COMMIT },
  });
  if (res.status !== 200) throw new Error(`apply → ${res.status}: ${errorOf(res).message}`);
}

/** A thin caller bound to one token, for readable tests. */
export function as(server: RunningServer, token: string) {
  return {
    get: (path: string): Promise<HttpResult> => http(server.url, { method: 'GET', path, token }),
    post: (path: string, body: unknown = {}): Promise<HttpResult> =>
      http(server.url, { method: 'POST', path, token, body }),
    put: (path: string, body: unknown): Promise<HttpResult> => http(server.url, { method: 'PUT', path, token, body }),
    del: (path: string): Promise<HttpResult> => http(server.url, { method: 'DELETE', path, token }),
  };
}
