import { fingerprintOfKeyLine, parseSshSigningKey } from '../../../src/core/release/sshSigningKey';
import { sshPublicKeyLine } from '../../support/sshKeys';
import type { RunningServer } from '../../../src/server/startServer';
import { STATIC_TOKEN, createUserDirect, uniqueName } from '../../support/serverFixtures';
import type { HttpRequest } from '../../support/serverHttp';
import { approvedReview, neutralAccessFile, openReview, promptText } from '../../support/reviewFixtures';

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
  const ws = await server.store.createWorkspace({
    id: uniqueName('ws'),
    name: uniqueName('ws'),
    createdBy: null,
    now: Date.now(),
  });
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
    request: async () => ({
      method: 'POST',
      path: '/api/login',
      body: { username: 'matrix-login', password: 'matrix-login-password' },
    }),
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
  // Commit-signing keys: anyone's own (the static token is no user), anyone's by id for admins.
  'GET /api/users/me/signing-keys': {
    request: async () => ({ method: 'GET', path: '/api/users/me/signing-keys' }),
    expect: { ...denied, staticToken: 403, viewer: 200, editor: 200, admin: 200 },
  },
  'POST /api/users/me/signing-keys': {
    request: async () => ({
      method: 'POST',
      path: '/api/users/me/signing-keys',
      body: { publicKey: sshPublicKeyLine() },
    }),
    expect: { ...denied, staticToken: 403, viewer: 201, editor: 201, admin: 201 },
  },
  'DELETE /api/users/me/signing-keys/:fingerprint': {
    // Nobody owns this key: 404 for every user, once the route let them in.
    request: async () => ({
      method: 'DELETE',
      path: `/api/users/me/signing-keys/${encodeURIComponent(fingerprintOfKeyLine(sshPublicKeyLine())!)}`,
    }),
    expect: { ...denied, staticToken: 403, viewer: 404, editor: 404, admin: 404 },
  },
  'GET /api/users/:id/signing-keys': {
    request: async (server) => ({
      method: 'GET',
      path: `/api/users/${await createUserDirect(server, 'viewer')}/signing-keys`,
    }),
    expect: { ...denied, staticToken: 200, viewer: 403, editor: 403, admin: 200 },
  },
  'POST /api/users/:id/signing-keys': {
    request: async (server) => ({
      method: 'POST',
      path: `/api/users/${await createUserDirect(server, 'viewer')}/signing-keys`,
      body: { publicKey: sshPublicKeyLine() },
    }),
    expect: { ...denied, staticToken: 201, viewer: 403, editor: 403, admin: 201 },
  },
  'DELETE /api/users/:id/signing-keys/:fingerprint': {
    request: async (server) => {
      const userId = await createUserDirect(server, 'viewer');
      const key = parseSshSigningKey(sshPublicKeyLine());
      if (!('key' in key)) throw new Error(key.problem);
      await server.store.addSigningKey({ ...key.key, userId, createdAt: Date.now() });
      return {
        method: 'DELETE',
        path: `/api/users/${userId}/signing-keys/${encodeURIComponent(key.key.fingerprint)}`,
      };
    },
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
  // The access file. Rows apply files with the built-in rules only, so other rows' decisions do not change.
  'GET /api/policy': {
    request: async (server) => {
      if (!(await server.store.currentPolicy())) {
        const content = neutralAccessFile();
        await server.store.applyPolicy(
          { content, sha256: 'x'.repeat(64), appliedBy: null, now: Date.now(), workspaces: [] },
          () => ({
            at: Date.now(),
            actor: null,
            actorRole: null,
            action: 'policy.apply',
            targetType: 'policy',
            targetId: null,
            before: null,
            after: null,
            address: null,
          }),
        );
      }
      return { method: 'GET', path: '/api/policy' };
    },
    expect: { ...denied, staticToken: 200, viewer: 200, editor: 200, admin: 200 },
  },
  'PUT /api/policy': {
    request: async () => ({ method: 'PUT', path: '/api/policy', body: { content: neutralAccessFile() } }),
    expect: { ...denied, staticToken: 200, viewer: 403, editor: 403, admin: 200 },
  },
  'GET /api/keys/public': {
    request: async () => ({ method: 'GET', path: '/api/keys/public' }),
    expect: { ...denied, staticToken: 200, viewer: 200, editor: 200, admin: 200 },
  },
  // Reviews: the route admits any signed-in user; the access file decides (built-in rules here:
  // viewers may not request or approve), and the static token is no user, so it may look but not act.
  'POST /api/reviews': {
    request: async () => ({
      method: 'POST',
      path: '/api/reviews',
      body: { path: `prompts/${uniqueName('m')}.prompt`, content: promptText('Matrix.') },
    }),
    expect: { ...denied, staticToken: 403, viewer: 403, editor: 201, admin: 201 },
  },
  'GET /api/reviews': {
    request: async () => ({ method: 'GET', path: '/api/reviews?status=open&limit=5' }),
    expect: { ...denied, staticToken: 200, viewer: 200, editor: 200, admin: 200 },
  },
  'GET /api/reviews/:id': {
    request: async (server) => ({ method: 'GET', path: `/api/reviews/${(await openReview(server)).review.id}` }),
    expect: { ...denied, staticToken: 200, viewer: 200, editor: 200, admin: 200 },
  },
  'POST /api/reviews/:id/revisions': {
    // Only the author may revise, and no matrix actor is the author.
    request: async (server) => ({
      method: 'POST',
      path: `/api/reviews/${(await openReview(server)).review.id}/revisions`,
      body: { content: promptText('Matrix, revised.') },
    }),
    expect: { ...denied, staticToken: 403, viewer: 403, editor: 403, admin: 403 },
  },
  'POST /api/reviews/:id/comments': {
    request: async (server) => ({
      method: 'POST',
      path: `/api/reviews/${(await openReview(server)).review.id}/comments`,
      body: { body: 'Looks fine.' },
    }),
    expect: { ...denied, staticToken: 403, viewer: 200, editor: 200, admin: 200 },
  },
  'POST /api/reviews/:id/approve': {
    request: async (server) => {
      const { review } = await openReview(server);
      return { method: 'POST', path: `/api/reviews/${review.id}/approve`, body: { headHash: review.headHash } };
    },
    expect: { ...denied, staticToken: 403, viewer: 403, editor: 200, admin: 200 },
  },
  'POST /api/reviews/:id/request-changes': {
    request: async (server) => ({
      method: 'POST',
      path: `/api/reviews/${(await openReview(server)).review.id}/request-changes`,
      body: { note: 'Shorter, please.' },
    }),
    expect: { ...denied, staticToken: 403, viewer: 403, editor: 200, admin: 200 },
  },
  'POST /api/reviews/:id/withdraw': {
    // The author or an org admin.
    request: async (server) => ({
      method: 'POST',
      path: `/api/reviews/${(await openReview(server)).review.id}/withdraw`,
      body: {},
    }),
    expect: { ...denied, staticToken: 403, viewer: 403, editor: 403, admin: 200 },
  },
  'POST /api/reviews/:id/publish': {
    request: async (server) => {
      const { review } = await approvedReview(server);
      return { method: 'POST', path: `/api/reviews/${review.id}/publish`, body: { headHash: review.headHash } };
    },
    expect: { ...denied, staticToken: 403, viewer: 403, editor: 200, admin: 200 },
  },
  'GET /api/releases': {
    request: async () => ({ method: 'GET', path: '/api/releases?limit=5' }),
    expect: { ...denied, staticToken: 200, viewer: 200, editor: 200, admin: 200 },
  },
  'GET /api/directory': {
    request: async () => ({ method: 'GET', path: '/api/directory' }),
    expect: { ...denied, staticToken: 200, viewer: 200, editor: 200, admin: 200 },
  },
  'GET /api/audit': {
    request: async () => ({ method: 'GET', path: '/api/audit?limit=5' }),
    expect: { ...denied, staticToken: 200, viewer: 403, editor: 403, admin: 200 },
  },
};

export { STATIC_TOKEN };
