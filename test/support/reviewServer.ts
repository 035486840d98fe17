import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuiltinRole } from '../../src/core/policy/actions';
import type { ServerOptions } from '../../src/server/serverOptions';
import type { RunningServer } from '../../src/server/startServer';
import { ROOT } from './cli';
import { FakeChatEndpoint, type EndpointReply } from './fakeChatEndpoint';
import { testUser, type TestUser } from './reviewFixtures';
import type { TestBackend } from './serverBackends';
import { STATIC_TOKEN, startTestServer } from './serverFixtures';
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

export interface ModelServerOptions {
  /** The access file applied before any test. */
  access: string;
  /** Users made straight in the store, by name, each with a live session. */
  users: Record<string, BuiltinRole>;
  /** How the fake model answers; it may look at the endpoint (how many requests it had, say). */
  reply?: (endpoint: FakeChatEndpoint) => EndpointReply;
  /** More of the server's model environment; the endpoint's URL and a key are always in it. */
  modelEnv?: NodeJS.ProcessEnv;
  /** Other server options (a clock, say). */
  server?: Omit<ServerOptions, 'modelEnv'>;
}

/** A server whose model is a fake chat endpoint, its access file applied and its users made. */
export interface ModelServer {
  server: RunningServer;
  endpoint: FakeChatEndpoint;
  /** The environment the server reads its model settings from, live: a test may change it. */
  modelEnv: NodeJS.ProcessEnv;
  users: Record<string, TestUser>;
}

/**
 * Registers mocha hooks that start a ModelServer on `makeBackend()` before the suite's
 * tests and stop it after them; the returned object is filled in by the time tests run.
 */
export function useModelServer(makeBackend: () => TestBackend, options: ModelServerOptions): ModelServer {
  const fixture = { modelEnv: {}, users: {} } as ModelServer;
  let backend: TestBackend | undefined;
  before(async () => {
    const endpoint = (fixture.endpoint = await FakeChatEndpoint.start());
    if (options.reply) endpoint.reply = options.reply(endpoint);
    Object.assign(fixture.modelEnv, {
      PROMPTOPS_MODEL_BASE_URL: endpoint.baseURL,
      PROMPTOPS_MODEL_API_KEY: 'sk-test-model-key',
      ...options.modelEnv,
    });
    backend = makeBackend();
    fixture.server = await startTestServer(backend, { ...options.server, modelEnv: fixture.modelEnv });
    await applyAccessFile(fixture.server, options.access);
    for (const [name, role] of Object.entries(options.users))
      fixture.users[name] = await testUser(fixture.server, role, name);
  });
  after(async () => {
    await fixture.server?.close();
    await backend?.cleanup();
    await fixture.endpoint?.stop();
  });
  return fixture;
}
