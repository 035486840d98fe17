import { inviteId, newInviteToken } from '../../../src/server/auth/inviteTokens';
import { fingerprintOfKeyLine, parseSshSigningKey } from '../../../src/core/release/sshSigningKey';
import { sshPublicKeyLine } from '../../support/sshKeys';
import type { RunningServer } from '../../../src/server/startServer';
import { STATIC_TOKEN, apiKeyFor, createUserDirect, uniqueName } from '../../support/serverFixtures';
import type { HttpRequest } from '../../support/serverHttp';
import {
  approvedReview,
  mustPost,
  neutralAccessFile,
  openReview,
  promptText,
  testUser,
} from '../../support/reviewFixtures';
import { SOME_COMMIT } from '../../support/reviewServer';
import type { ReviewDto } from '../../../src/shared/api/reviews';

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

/** A pending invite stored as `POST /api/invites` stores it; returns its token. */
async function inviteToken(server: RunningServer): Promise<string> {
  const { id, token, secretHash } = newInviteToken();
  const now = Date.now();
  await server.store.createInvite({
    id,
    secretHash,
    username: uniqueName('invitee'),
    role: 'viewer',
    createdBy: 'matrix',
    createdAt: now,
    expiresAt: now + 60 * 60 * 1000,
    acceptedAt: null,
    revokedAt: null,
  });
  return token;
}

async function pendingInvite(server: RunningServer): Promise<string> {
  return inviteId(await inviteToken(server))!;
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
  // API keys: creating needs apikey.manage (editor and up; the static token is no user);
  // everyone lists their own; revoking someone else's is 404 unless you are an admin.
  'POST /api/api-keys': {
    request: async () => ({
      method: 'POST',
      path: '/api/api-keys',
      body: { name: uniqueName('key'), scope: { actions: ['prompt.read'] } },
    }),
    expect: { ...denied, staticToken: 403, viewer: 403, editor: 201, admin: 201 },
  },
  'GET /api/api-keys': {
    request: async () => ({ method: 'GET', path: '/api/api-keys' }),
    expect: { ...denied, staticToken: 200, viewer: 200, editor: 200, admin: 200 },
  },
  'DELETE /api/api-keys/:id': {
    request: async (server) => ({
      method: 'DELETE',
      path: `/api/api-keys/${(await apiKeyFor(server, await createUserDirect(server, 'editor'), ['prompt.read'])).id}`,
    }),
    expect: { ...denied, staticToken: 204, viewer: 404, editor: 404, admin: 204 },
  },
  // Invites: user.invite (admins by default; the static token is the org's admin).
  'POST /api/invites': {
    request: async () => ({
      method: 'POST',
      path: '/api/invites',
      body: { username: uniqueName('inv'), role: 'viewer' },
    }),
    expect: { ...denied, staticToken: 201, viewer: 403, editor: 403, admin: 201 },
  },
  'GET /api/invites': {
    request: async () => ({ method: 'GET', path: '/api/invites' }),
    expect: { ...denied, staticToken: 200, viewer: 403, editor: 403, admin: 200 },
  },
  'DELETE /api/invites/:id': {
    request: async (server) => ({ method: 'DELETE', path: `/api/invites/${await pendingInvite(server)}` }),
    expect: { ...denied, staticToken: 204, viewer: 403, editor: 403, admin: 204 },
  },
  'POST /api/invites/accept': {
    // Public: whatever Authorization header comes along, a good token and password create the account.
    request: async (server) => ({
      method: 'POST',
      path: '/api/invites/accept',
      body: { token: await inviteToken(server), password: 'correct horse battery staple 42' },
    }),
    expect: everyone(201),
  },
  'GET /invite': {
    request: async () => ({ method: 'GET', path: '/invite' }),
    expect: everyone(200),
  },
  'GET /invite.js': {
    request: async () => ({ method: 'GET', path: '/invite.js' }),
    expect: everyone(200),
  },
  'GET /api/access-review': {
    request: async () => ({ method: 'GET', path: '/api/access-review' }),
    expect: { ...denied, staticToken: 200, viewer: 403, editor: 403, admin: 200 },
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
          {
            content,
            sha256: 'x'.repeat(64),
            appliedBy: null,
            now: Date.now(),
            workspaces: [],
            commit: SOME_COMMIT,
            basedOn: { version: 0, changed: () => new Error('applied concurrently') },
            seal: () => '',
          },
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
    request: async () => ({
      method: 'PUT',
      path: '/api/policy',
      body: { content: neutralAccessFile(), commit: SOME_COMMIT },
    }),
    expect: { ...denied, staticToken: 200, viewer: 403, editor: 403, admin: 200 },
  },
  'GET /api/keys/public': {
    request: async () => ({ method: 'GET', path: '/api/keys/public' }),
    expect: { ...denied, staticToken: 200, viewer: 200, editor: 200, admin: 200 },
  },
  'GET /api/keys/chain': {
    request: async () => ({ method: 'GET', path: '/api/keys/chain' }),
    expect: { ...denied, staticToken: 200, viewer: 200, editor: 200, admin: 200 },
  },
  // Rotating the server's signing key: server.key.rotate, admins only.
  'POST /api/keys/rotate': {
    request: async () => ({ method: 'POST', path: '/api/keys/rotate' }),
    expect: { ...denied, staticToken: 200, viewer: 403, editor: 403, admin: 200 },
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
  'GET /api/reviews/:id/revisions/:number': {
    request: async (server) => ({
      method: 'GET',
      path: `/api/reviews/${(await openReview(server)).review.id}/revisions/1`,
    }),
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
    request: async (server) => {
      const { review } = await openReview(server);
      return {
        method: 'POST',
        path: `/api/reviews/${review.id}/request-changes`,
        body: { note: 'Shorter, please.', headHash: review.headHash },
      };
    },
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
  'POST /api/reviews/:id/delivery': {
    request: async (server) => {
      const { review } = await approvedReview(server);
      const publisher = await testUser(server, 'editor');
      await mustPost(server, publisher.token, `/api/reviews/${review.id}/publish`, { headHash: review.headHash });
      return {
        method: 'POST',
        path: `/api/reviews/${review.id}/delivery`,
        body: {
          state: 'awaiting-merge',
          target: 'main',
          branch: `promptops/publish-${review.id}`,
          commit: SOME_COMMIT,
        },
      };
    },
    expect: { ...denied, staticToken: 403, viewer: 403, editor: 200, admin: 200 },
  },
  // Unpublishing takes prompt.publish where the release is (editors under the built-in rules).
  'POST /api/releases/unpublish': {
    request: async (server) => {
      const { review, author } = await approvedReview(server);
      const published = await mustPost<{ release: { path: string; env: string } }>(
        server,
        author.token,
        `/api/reviews/${review.id}/publish`,
        { headHash: review.headHash },
      );
      return {
        method: 'POST',
        path: '/api/releases/unpublish',
        body: { path: published.release.path, env: published.release.env },
      };
    },
    expect: { ...denied, staticToken: 403, viewer: 403, editor: 200, admin: 200 },
  },
  'POST /api/reviews/:id/evaluations': {
    // evaluation.run: editor and up. The matrix's prompt has no test cases, so an actor
    // who may run it gets the 422 that says so (after the access check, before any model).
    request: async (server) => ({
      method: 'POST',
      path: `/api/reviews/${(await openReview(server)).review.id}/evaluations`,
      body: {},
    }),
    expect: { ...denied, staticToken: 403, viewer: 403, editor: 422, admin: 422 },
  },
  'GET /api/reviews/:id/evaluations': {
    request: async (server) => ({
      method: 'GET',
      path: `/api/reviews/${(await openReview(server)).review.id}/evaluations`,
    }),
    expect: { ...denied, staticToken: 200, viewer: 200, editor: 200, admin: 200 },
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
  'GET /api/audit/checkpoints': {
    request: async () => ({ method: 'GET', path: '/api/audit/checkpoints' }),
    expect: { ...denied, staticToken: 200, viewer: 403, editor: 403, admin: 200 },
  },
};

export { STATIC_TOKEN };

// ---------------------------------------------------------------------------------------
// Read isolation: route × actor × (workspace, env). What the server holds about a prompt
// is answered only to those who may `prompt.read` it there: one resource → 404, lists omit it.

/** Workspaces of the read-isolation access file; `default` holds prompts under no glob. */
export const ISOLATION_WORKSPACES = ['default', 'team', 'secret', 'vault'] as const;
export const ISOLATION_ENVS = ['dev', 'test', 'prod'] as const;
export type IsolationWorkspace = (typeof ISOLATION_WORKSPACES)[number];

/** Who acts in the read-isolation matrix, with their org role and the workspaces they may not read. */
export const ISOLATION_ACTORS = {
  viewer: { username: 'iso-viewer', role: 'viewer', blind: [] },
  editor: { username: 'iso-editor', role: 'editor', blind: [] },
  admin: { username: 'iso-admin', role: 'admin', blind: [] },
  staticToken: { username: null, role: 'admin', blind: [] },
  outsider: { username: 'iso-outsider', role: 'viewer', blind: ['secret', 'vault'] },
  blindEditor: { username: 'iso-blind-editor', role: 'editor', blind: ['vault'] },
  insider: { username: 'iso-insider', role: 'viewer', blind: ['team'] },
} as const satisfies Record<
  string,
  { username: string | null; role: 'viewer' | 'editor' | 'admin'; blind: readonly IsolationWorkspace[] }
>;
export type IsolationActor = keyof typeof ISOLATION_ACTORS;

/** The access file the oracle above is written from by hand (never from the server's own decisions). */
export const ISOLATION_ACCESS_FILE = `version: 1
environments: [dev, test, prod]
roles:
  blind: { extends: viewer, deny: [prompt.read, prompt.run] }
  blind-editor: { extends: editor, deny: [prompt.read] }
workspaces:
  team:
    paths: ["prompts/team/**"]
    members: { iso-insider: blind }
  secret:
    paths: ["prompts/secret/**"]
    members: { iso-outsider: blind, iso-insider: editor }
  vault:
    paths: ["prompts/vault/**"]
    members: { iso-outsider: blind, iso-blind-editor: blind-editor }
`;

/** The prompts one scope holds: an open review and a published one (with its release). */
export interface IsolationScope {
  workspace: IsolationWorkspace;
  env: string;
  /** Makes a fresh open review (for cells that change it), by a user who may request anywhere. */
  freshOpen(): Promise<ReviewDto>;
  /** A fresh review approved by a second editor, ready to publish. */
  freshApproved(): Promise<ReviewDto>;
  open: ReviewDto;
  published: ReviewDto;
  /** A word only this scope's prompts contain: an unreadable answer must not carry it. */
  marker: string;
}

export interface IsolationRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
}

interface IsolationRow {
  request(scope: IsolationScope): Promise<IsolationRequest>;
  /** `one`: 404 when unreadable, anything else when readable; `list`: 200, and `present` says whether the scope's item is in it. */
  kind: 'one' | 'list';
  present?: (json: unknown, scope: IsolationScope) => boolean;
  /** Lists whose readable answer may leave the item out for other reasons (needsMyApproval). */
  onlyAbsence?: boolean;
}

const hasReview = (json: unknown, id: string): boolean =>
  (json as { reviews: { id: string }[] }).reviews.some((r) => r.id === id);
const hasRelease = (json: unknown, reviewId: string): boolean =>
  (json as { releases: { reviewId: string }[] }).releases.some((r) => r.reviewId === reviewId);

export const READ_ISOLATION_MATRIX: Record<string, IsolationRow> = {
  'GET /api/reviews/:id': {
    kind: 'one',
    request: async (s) => ({ method: 'GET', url: `/api/reviews/${s.published.id}` }),
  },
  'GET /api/reviews/:id/revisions/:number': {
    kind: 'one',
    request: async (s) => ({ method: 'GET', url: `/api/reviews/${s.published.id}/revisions/1` }),
  },
  'GET /api/reviews?path=': {
    kind: 'list',
    request: async (s) => ({ method: 'GET', url: `/api/reviews?path=${encodeURIComponent(s.open.path)}` }),
    present: (json, s) => hasReview(json, s.open.id),
  },
  'GET /api/reviews?workspace=&env=': {
    kind: 'list',
    request: async (s) => ({
      method: 'GET',
      url: `/api/reviews?workspace=${s.workspace}&env=${s.env}&author=iso-author&limit=200`,
    }),
    present: (json, s) => hasReview(json, s.open.id) && hasReview(json, s.published.id),
  },
  'GET /api/reviews?needsMyApproval=true': {
    kind: 'list',
    onlyAbsence: true,
    request: async () => ({ method: 'GET', url: '/api/reviews?needsMyApproval=true&limit=200' }),
    present: (json, s) => hasReview(json, s.open.id),
  },
  'GET /api/releases?path=': {
    kind: 'list',
    request: async (s) => ({ method: 'GET', url: `/api/releases?path=${encodeURIComponent(s.published.path)}` }),
    present: (json, s) => hasRelease(json, s.published.id),
  },
  'GET /api/releases?workspace=&env=': {
    kind: 'list',
    request: async (s) => ({ method: 'GET', url: `/api/releases?workspace=${s.workspace}&env=${s.env}&limit=200` }),
    present: (json, s) => hasRelease(json, s.published.id),
  },
  'POST /api/reviews/:id/comments': {
    kind: 'one',
    request: async (s) => ({
      method: 'POST',
      url: `/api/reviews/${(await s.freshOpen()).id}/comments`,
      body: { body: 'Hm.' },
    }),
  },
  'POST /api/reviews/:id/approve': {
    kind: 'one',
    request: async (s) => {
      const r = await s.freshOpen();
      return { method: 'POST', url: `/api/reviews/${r.id}/approve`, body: { headHash: r.headHash } };
    },
  },
  'POST /api/reviews/:id/request-changes': {
    kind: 'one',
    request: async (s) => {
      const r = await s.freshOpen();
      return {
        method: 'POST',
        url: `/api/reviews/${r.id}/request-changes`,
        body: { note: 'No.', headHash: r.headHash },
      };
    },
  },
  'POST /api/reviews/:id/revisions': {
    kind: 'one',
    request: async (s) => ({
      method: 'POST',
      url: `/api/reviews/${(await s.freshOpen()).id}/revisions`,
      body: { content: promptText(`Revised ${s.marker}.`, { env: s.env }) },
    }),
  },
  'POST /api/reviews/:id/withdraw': {
    kind: 'one',
    request: async (s) => ({ method: 'POST', url: `/api/reviews/${(await s.freshOpen()).id}/withdraw`, body: {} }),
  },
  'POST /api/reviews/:id/publish': {
    kind: 'one',
    request: async (s) => {
      const r = await s.freshApproved();
      return { method: 'POST', url: `/api/reviews/${r.id}/publish`, body: { headHash: r.headHash } };
    },
  },
  'POST /api/reviews/:id/delivery': {
    kind: 'one',
    request: async (s) => ({
      method: 'POST',
      url: `/api/reviews/${s.published.id}/delivery`,
      body: { state: 'release-branch', target: 'main', branch: 'main', commit: SOME_COMMIT },
    }),
  },
};

/** The hand-written oracle: may `actor` read prompts in `workspace`? */
export function isolationReadable(actor: IsolationActor, workspace: IsolationWorkspace): boolean {
  return !(ISOLATION_ACTORS[actor].blind as readonly string[]).includes(workspace);
}
