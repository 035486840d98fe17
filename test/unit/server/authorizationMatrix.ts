import type { RunningServer } from '../../../src/server/startServer';
import { STATIC_TOKEN, createUserDirect, uniqueName } from '../../support/serverFixtures';
import type { HttpRequest } from '../../support/serverHttp';

export const ACTORS = [
  'anonymous',
  'badToken',
  'expiredToken',
  'removedUser',
  'staticToken',
  'viewer',
  'editor',
  'admin',
] as const;
export type Actor = (typeof ACTORS)[number];

/** Builds a fresh request (and whatever it targets) for one matrix cell. */
type RequestFor = (server: RunningServer) => Promise<Omit<HttpRequest, 'token'>>;

interface MatrixRow {
  request: RequestFor;
  expect: Record<Actor, number>;
}

/** Shorthands for the common shapes of a row. */
const denied = { anonymous: 401, badToken: 401, expiredToken: 401, removedUser: 401 } as const;
const everyone = (status: number): Record<Actor, number> =>
  Object.fromEntries(ACTORS.map((a) => [a, status])) as Record<Actor, number>;

async function newWorkspace(server: RunningServer): Promise<string> {
  const ws = await server.store.createWorkspace({ id: uniqueName('ws'), name: uniqueName('ws'), createdBy: null, now: Date.now() });
  return ws.id;
}

/**
 * THE authorization matrix: route × actor → status, from the seed's table. Each cell
 * runs against fresh targets, so cells do not depend on each other. Every registered
 * route must have a row (checked against fastify's route list).
 */
export const AUTHORIZATION_MATRIX: Record<string, MatrixRow> = {
  'GET /healthz': {
    request: async () => ({ method: 'GET', path: '/healthz' }),
    expect: everyone(200),
  },
  'POST /api/login': {
    // Public: whatever Authorization header comes along, good credentials sign in.
    request: async () => ({ method: 'POST', path: '/api/login', body: { username: 'matrix-login', password: 'matrix-login-password' } }),
    expect: everyone(200),
  },
  'POST /api/logout': {
    request: async () => ({ method: 'POST', path: '/api/logout' }),
    expect: { ...denied, staticToken: 204, viewer: 204, editor: 204, admin: 204 },
  },
  'GET /api/me': {
    request: async () => ({ method: 'GET', path: '/api/me' }),
    expect: { ...denied, staticToken: 200, viewer: 200, editor: 200, admin: 200 },
  },
  'GET /api/openapi.json': {
    request: async () => ({ method: 'GET', path: '/api/openapi.json' }),
    expect: { ...denied, staticToken: 200, viewer: 200, editor: 200, admin: 200 },
  },
  'GET /api/users': {
    request: async () => ({ method: 'GET', path: '/api/users' }),
    expect: { ...denied, staticToken: 200, viewer: 403, editor: 403, admin: 200 },
  },
  'POST /api/users': {
    request: async () => ({
      method: 'POST',
      path: '/api/users',
      body: { username: uniqueName('new'), password: 'a-long-password', role: 'viewer' },
    }),
    expect: { ...denied, staticToken: 201, viewer: 403, editor: 403, admin: 201 },
  },
  'GET /api/users/:id': {
    request: async (server) => ({ method: 'GET', path: `/api/users/${await createUserDirect(server, 'viewer')}` }),
    expect: { ...denied, staticToken: 200, viewer: 403, editor: 403, admin: 200 },
  },
  'PATCH /api/users/:id': {
    request: async (server) => ({
      method: 'PATCH',
      path: `/api/users/${await createUserDirect(server, 'viewer')}`,
      body: { role: 'editor' },
    }),
    expect: { ...denied, staticToken: 200, viewer: 403, editor: 403, admin: 200 },
  },
  'DELETE /api/users/:id': {
    request: async (server) => ({ method: 'DELETE', path: `/api/users/${await createUserDirect(server, 'viewer')}` }),
    expect: { ...denied, staticToken: 204, viewer: 403, editor: 403, admin: 204 },
  },
  'GET /api/workspaces': {
    request: async () => ({ method: 'GET', path: '/api/workspaces' }),
    expect: { ...denied, staticToken: 200, viewer: 200, editor: 200, admin: 200 },
  },
  'POST /api/workspaces': {
    request: async () => ({ method: 'POST', path: '/api/workspaces', body: { name: uniqueName('ws') } }),
    expect: { ...denied, staticToken: 201, viewer: 403, editor: 201, admin: 201 },
  },
  'DELETE /api/workspaces/:id': {
    request: async (server) => ({ method: 'DELETE', path: `/api/workspaces/${await newWorkspace(server)}` }),
    expect: { ...denied, staticToken: 204, viewer: 403, editor: 403, admin: 204 },
  },
};

export { STATIC_TOKEN };
