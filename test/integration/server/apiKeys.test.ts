import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  ACTIONS,
  BUILTIN_PERMISSIONS,
  BUILTIN_ROLES,
  type Action,
  type BuiltinRole,
} from '../../../src/core/policy/actions';
import type { RunningServer } from '../../../src/server/startServer';
import type { ApiKeyDto, CreateApiKeyResponse } from '../../../src/shared/api/apiKeys';
import type { AuditListResponse } from '../../../src/shared/api/audit';
import type { MeResponse } from '../../../src/shared/api/auth';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import type { UserDto } from '../../../src/shared/api/users';
import { approvedReview, neutralAccessFile, openReview, promptText, testUser } from '../../support/reviewFixtures';
import { as } from '../../support/reviewServer';
import { describeEachBackend, queryDatabase, sqliteBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, apiKeyFor, createUserDirect, startTestServer, uniqueName } from '../../support/serverFixtures';
import { errorOf, http, type HttpRequest } from '../../support/serverHttp';

/**
 * One raw HTTP request per action the server decides, with the status it answers when
 * allowed. Actions with no server route (prompt.run, prompt.create/edit/delete: those are
 * decided in the editor, the git hook and CI) are not in the table.
 */
const ACTION_REQUESTS: Partial<Record<Action, { ok: number; request: (s: RunningServer) => Promise<HttpRequest> }>> = {
  'prompt.read': {
    ok: 200,
    request: async (s) => ({ method: 'GET', path: `/api/reviews/${(await openReview(s)).review.id}` }),
  },
  'review.request': {
    ok: 201,
    request: async () => ({
      method: 'POST',
      path: '/api/reviews',
      body: { path: `prompts/${uniqueName('k')}.prompt`, content: promptText('Be brief.') },
    }),
  },
  'review.approve': {
    ok: 200,
    request: async (s) => {
      const { review } = await openReview(s);
      return { method: 'POST', path: `/api/reviews/${review.id}/approve`, body: { headHash: review.headHash } };
    },
  },
  'prompt.publish': {
    ok: 200,
    request: async (s) => {
      const { review } = await approvedReview(s);
      return { method: 'POST', path: `/api/reviews/${review.id}/publish`, body: { headHash: review.headHash } };
    },
  },
  // No test cases in the prompt: a caller who may run it gets the 422 that says so, after the access check.
  'evaluation.run': {
    ok: 422,
    request: async (s) => ({
      method: 'POST',
      path: `/api/reviews/${(await openReview(s)).review.id}/evaluations`,
      body: {},
    }),
  },
  'workspace.create': {
    ok: 201,
    request: async () => ({ method: 'POST', path: '/api/workspaces', body: { name: uniqueName('ws') } }),
  },
  'workspace.delete': {
    ok: 204,
    request: async (s) => {
      const ws = await s.store.createWorkspace({
        id: uniqueName('ws'),
        name: uniqueName('ws'),
        createdBy: null,
        now: Date.now(),
      });
      return { method: 'DELETE', path: `/api/workspaces/${ws.id}` };
    },
  },
  'user.manage': {
    ok: 200,
    request: async (s) => ({
      method: 'PATCH',
      path: `/api/users/${await createUserDirect(s, 'viewer')}`,
      body: { role: 'editor' },
    }),
  },
  'policy.apply': {
    ok: 200,
    request: async () => ({
      method: 'PUT',
      path: '/api/policy',
      body: { content: neutralAccessFile(), commit: 'a'.repeat(40) },
    }),
  },
  'server.key.rotate': {
    ok: 200,
    request: async () => ({ method: 'POST', path: '/api/keys/rotate' }),
  },
  'user.invite': {
    ok: 201,
    request: async () => ({
      method: 'POST',
      path: '/api/invites',
      body: { username: uniqueName('inv'), role: 'viewer' },
    }),
  },
  'apikey.manage': {
    // Within the calling key's own scope, so only the right to manage keys is in question.
    ok: 201,
    request: async () => ({
      method: 'POST',
      path: '/api/api-keys',
      body: { name: uniqueName('child'), scope: { actions: ['apikey.manage'] } },
    }),
  },
};

/** Scopes as people would make them: a reader, a drafter, an approver, a release bot, an operator, everything. */
const SCOPES: Record<string, Action[]> = {
  'read-run': ['prompt.read', 'prompt.run'],
  drafter: ['prompt.read', 'review.request'],
  approver: ['prompt.read', 'review.approve'],
  'release-bot': ['prompt.read', 'prompt.publish'],
  operator: [
    'user.manage',
    'user.invite',
    'apikey.manage',
    'workspace.create',
    'workspace.delete',
    'policy.apply',
    'server.key.rotate',
  ],
  everything: [...ACTIONS],
};

/** The seed's table, written independently of the server: what the creator may do. */
const creatorMay = (role: BuiltinRole, action: Action): boolean => BUILTIN_PERMISSIONS[role].includes(action);

describe('API keys: scope × creator role × action matrix (raw HTTP, real server on SQLite)', function () {
  this.timeout(120_000);
  let backend: TestBackend;
  let server: RunningServer;

  before(async () => {
    backend = sqliteBackend();
    server = await startTestServer(backend);
  });
  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  const cells = Object.keys(SCOPES).length * BUILTIN_ROLES.length * Object.keys(ACTION_REQUESTS).length;
  it(`covers every action with a server route (${cells} cells)`, () => {
    const routed = Object.keys(ACTION_REQUESTS).sort();
    const offline = ACTIONS.filter((a) => !routed.includes(a)).sort();
    assert.deepEqual(offline, ['prompt.create', 'prompt.delete', 'prompt.edit', 'prompt.run']);
  });

  for (const [scopeName, actions] of Object.entries(SCOPES)) {
    for (const role of BUILTIN_ROLES) {
      for (const [action, spec] of Object.entries(ACTION_REQUESTS) as [
        Action,
        (typeof ACTION_REQUESTS)[Action] & {},
      ][]) {
        const allowed = actions.includes(action) && creatorMay(role, action);
        it(`key ${scopeName} of a ${role}: ${action} → ${allowed ? spec.ok : 403}`, async () => {
          const request = await spec.request(server);
          const key = await apiKeyFor(server, await createUserDirect(server, role), actions, { name: scopeName });
          const res = await http(server.url, { ...request, token: key.token });
          assert.equal(res.status, allowed ? spec.ok : 403, `${scopeName}/${role}/${action}: ${res.text}`);
          if (!allowed) {
            const why = errorOf(res).message;
            if (!actions.includes(action))
              assert.match(why, new RegExp(`API key \`${scopeName}\` may not ${action.replace('.', '\\.')}`));
            else assert.match(why, /creator|role|you are/);
          }
        });
      }
    }
  }
});

describeEachBackend('API keys: routes, lifecycle and secrecy', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;

  before(async () => {
    backend = makeBackend();
    server = await startTestServer(backend);
  });
  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  const create = async (token: string, body: object): Promise<CreateApiKeyResponse> => {
    const res = await as(server, token).post('/api/api-keys', body);
    assert.equal(res.status, 201, res.text);
    return res.json as CreateApiKeyResponse;
  };

  it('shows the secret once: pok_<id>_<secret>, never in GET, stored only as its sha256', async () => {
    const editor = await testUser(server, 'editor');
    const { key, token } = await create(editor.token, {
      name: 'ci reader',
      scope: { actions: ['prompt.read'], workspaces: ['default'], envs: ['dev'] },
    });
    assert.match(token, new RegExp(`^pok_${key.id}_[A-Za-z0-9_-]{43}$`));
    assert.equal(key.createdBy, editor.username);
    assert.deepEqual(key.scope, { actions: ['prompt.read'], workspaces: ['default'], envs: ['dev'] });
    const secret = token.slice(`pok_${key.id}_`.length);

    const list = await as(server, editor.token).get('/api/api-keys');
    assert.equal(list.status, 200);
    assert.ok(!list.text.includes(secret), 'the list never carries the secret');
    assert.deepEqual(
      (list.json as { keys: ApiKeyDto[] }).keys.map((k) => k.id),
      [key.id],
    );

    const rows = await queryDatabase<Record<string, unknown>>(backend, `SELECT * FROM api_keys WHERE id = '${key.id}'`);
    assert.equal(rows.length, 1);
    const stored = JSON.stringify(rows[0]);
    assert.ok(!stored.includes(secret), `the row holds no secret: ${stored}`);
    assert.equal(rows[0].secret_hash, createHash('sha256').update(token).digest('hex'));
  });

  it('authenticates as its creator (GET /api/me) and records its last use', async () => {
    const editor = await testUser(server, 'editor');
    const { key, token } = await create(editor.token, { name: 'me', scope: { actions: ['prompt.read'] } });
    assert.equal(key.lastUsedAt, null);
    const me = await as(server, token).get('/api/me');
    assert.equal(me.status, 200, me.text);
    const body = me.json as MeResponse;
    assert.equal(body.authMethod, 'api-key');
    assert.equal(body.user?.username, editor.username);
    assert.equal(body.apiKey?.id, key.id);
    const listed = ((await as(server, editor.token).get('/api/api-keys')).json as { keys: ApiKeyDto[] }).keys;
    assert.ok(listed.find((k) => k.id === key.id)?.lastUsedAt, 'last use is recorded');
  });

  it('lists own keys; admins see every key', async () => {
    const a = await testUser(server, 'editor');
    const b = await testUser(server, 'editor');
    const ka = (await create(a.token, { name: 'a', scope: { actions: ['prompt.read'] } })).key;
    const kb = (await create(b.token, { name: 'b', scope: { actions: ['prompt.read'] } })).key;
    const ids = async (token: string) =>
      ((await as(server, token).get('/api/api-keys')).json as { keys: ApiKeyDto[] }).keys.map((k) => k.id);
    assert.deepEqual(await ids(a.token), [ka.id]);
    assert.deepEqual(await ids(b.token), [kb.id]);
    const admin = await testUser(server, 'admin');
    const all = await ids(admin.token);
    assert.ok(all.includes(ka.id) && all.includes(kb.id));
  });

  it('refuses key creation to a viewer and to the static token, and audits the refusal', async () => {
    const viewer = await testUser(server, 'viewer');
    const res = await as(server, viewer.token).post('/api/api-keys', {
      name: 'x',
      scope: { actions: ['prompt.read'] },
    });
    assert.equal(res.status, 403);
    assert.match(errorOf(res).message, /Managing API keys needs the `editor` or `admin` role; you are `viewer`/);
    const st = await as(server, STATIC_TOKEN).post('/api/api-keys', { name: 'x', scope: { actions: ['prompt.read'] } });
    assert.equal(st.status, 403);
    assert.equal(errorOf(st).code, 'not_a_user');
    const audit = (await as(server, STATIC_TOKEN).get(`/api/audit?actor=${viewer.username}`)).json as AuditListResponse;
    assert.ok(audit.entries.some((e) => e.action === 'apikey.create' && e.outcome === 'refused'));
  });

  it('refuses a bad expiry and an unknown action with the field named', async () => {
    const editor = await testUser(server, 'editor');
    const past = await as(server, editor.token).post('/api/api-keys', {
      name: 'old',
      scope: { actions: ['prompt.read'] },
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    assert.equal(past.status, 422);
    assert.equal(errorOf(past).field, 'expiresAt');
    const far = await as(server, editor.token).post('/api/api-keys', {
      name: 'far',
      scope: { actions: ['prompt.read'] },
      expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString(),
    });
    assert.equal(far.status, 422);
    const bad = await as(server, editor.token).post('/api/api-keys', { name: 'x', scope: { actions: ['prompt.fly'] } });
    assert.equal(bad.status, 422);
  });

  it('demotion: the creator demoted → the key loses the right on its next request', async () => {
    const editor = await testUser(server, 'editor');
    const { token } = await create(editor.token, {
      name: 'drafter',
      scope: { actions: ['prompt.read', 'review.request'] },
    });
    const draft = () =>
      as(server, token).post('/api/reviews', { path: `prompts/${uniqueName('d')}.prompt`, content: promptText('Hi.') });
    assert.equal((await draft()).status, 201);
    const demote = await http(server.url, {
      method: 'PATCH',
      path: `/api/users/${editor.id}`,
      token: STATIC_TOKEN,
      body: { role: 'viewer' },
    });
    assert.equal(demote.status, 200);
    const after = await draft();
    assert.equal(after.status, 403);
    assert.match(errorOf(after).message, /only its creator's rights/);
    assert.equal((await as(server, token).get('/api/reviews')).status, 200, 'reading, which a viewer may, still works');
  });

  it('removal: the creator removed → 401', async () => {
    const editor = await testUser(server, 'editor');
    const { token } = await create(editor.token, { name: 'gone', scope: { actions: ['prompt.read'] } });
    assert.equal((await as(server, token).get('/api/reviews')).status, 200);
    assert.equal((await as(server, STATIC_TOKEN).del(`/api/users/${editor.id}`)).status, 204);
    assert.equal((await as(server, token).get('/api/reviews')).status, 401);
  });

  it('expiry: an expired key → 401', async () => {
    const editor = await testUser(server, 'editor');
    const { token } = await apiKeyFor(server, editor.id, ['prompt.read'], { expiresAt: Date.now() - 1 });
    const res = await as(server, token).get('/api/reviews');
    assert.equal(res.status, 401);
  });

  it('revocation: the next request → 401; only the owner or an admin may revoke (others get 404)', async () => {
    const editor = await testUser(server, 'editor');
    const other = await testUser(server, 'editor');
    const { key, token } = await create(editor.token, { name: 'rev', scope: { actions: ['prompt.read'] } });
    assert.equal((await as(server, other.token).del(`/api/api-keys/${key.id}`)).status, 404);
    assert.equal((await as(server, token).get('/api/reviews')).status, 200);
    assert.equal((await as(server, editor.token).del(`/api/api-keys/${key.id}`)).status, 204);
    assert.equal((await as(server, token).get('/api/reviews')).status, 401);
    const second = await create(editor.token, { name: 'rev2', scope: { actions: ['prompt.read'] } });
    const admin = await testUser(server, 'admin');
    assert.equal((await as(server, admin.token).del(`/api/api-keys/${second.key.id}`)).status, 204);
    assert.equal((await as(server, second.token).get('/api/me')).status, 401);
  });

  it('wrong or garbled keys get one 401, whichever part was wrong', async () => {
    const editor = await testUser(server, 'editor');
    const { key, token } = await create(editor.token, { name: 'real', scope: { actions: ['prompt.read'] } });
    const secret = token.slice(`pok_${key.id}_`.length);
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const candidates = [
      `pok_${key.id}_${flip(secret)}`, // right id, wrong secret
      `pok_${'0'.repeat(16)}_${secret}`, // unknown id, a real secret
      `pok_${key.id}_${secret.slice(1)}`, // truncated
      `pok_${key.id}`, // no secret
      'pok_',
      `pok_${key.id.toUpperCase()}_${secret}`,
      `${token}x`,
    ];
    const bodies = new Set<string>();
    for (const bad of candidates) {
      const res = await as(server, bad).get('/api/me');
      assert.equal(res.status, 401, bad);
      bodies.add(res.text);
    }
    assert.equal(bodies.size, 1, `one answer for all: ${[...bodies].join(' | ')}`);
    assert.equal((await as(server, token).get('/api/me')).status, 200, 'the real one works');
  });

  it('a key cannot mint a stronger key: actions, workspaces, envs and expiry stay within its own', async () => {
    const admin = await testUser(server, 'admin');
    const { token } = await create(admin.token, {
      name: 'minter',
      scope: { actions: ['apikey.manage', 'prompt.read'], workspaces: ['default'] },
    });
    const tryCreate = (scope: object, extra: object = {}) =>
      as(server, token).post('/api/api-keys', { name: uniqueName('c'), scope, ...extra });
    assert.equal((await tryCreate({ actions: ['prompt.read'], workspaces: ['default'] })).status, 201);
    const more = await tryCreate({ actions: ['user.manage'], workspaces: ['default'] });
    assert.equal(more.status, 403);
    assert.match(errorOf(more).message, /actions it lacks: user\.manage/);
    assert.equal((await tryCreate({ actions: ['prompt.read'] })).status, 403, 'every workspace is more than `default`');
    const later = await tryCreate(
      { actions: ['prompt.read'], workspaces: ['default'] },
      { expiresAt: new Date(Date.now() + 300 * 86_400_000).toISOString() },
    );
    assert.equal(later.status, 403);
    // …and no key reaches routes it has no action for (signing keys, the audit log, logout).
    assert.equal((await as(server, token).get('/api/users/me/signing-keys')).status, 403);
    assert.equal((await as(server, token).get('/api/audit')).status, 403);
  });

  it('is audited as its creator, naming the key, for actions and refusals', async () => {
    const editor = await testUser(server, 'editor');
    const { key, token } = await create(editor.token, {
      name: 'auditee',
      scope: { actions: ['prompt.read', 'workspace.create'] },
    });
    assert.equal((await as(server, token).post('/api/workspaces', { name: uniqueName('ws') })).status, 201);
    assert.equal(
      (await as(server, token).post('/api/users', { username: 'x', password: 'p', role: 'viewer' })).status,
      403,
    );
    const { entries } = (await as(server, STATIC_TOKEN).get(`/api/audit?actor=${editor.username}`))
      .json as AuditListResponse;
    const viaKey = entries.filter((e) => e.actorRole?.includes(`API key "auditee" (pok_${key.id})`));
    assert.ok(
      viaKey.some((e) => e.action === 'workspace.create' && e.outcome === 'done'),
      JSON.stringify(entries),
    );
    assert.ok(
      viaKey.some((e) => e.action === 'user.create' && e.outcome === 'refused'),
      JSON.stringify(entries),
    );
  });

  it('limits reads to its workspaces and envs', async () => {
    const admin = await testUser(server, 'admin');
    const editor = await testUser(server, 'editor');
    const made: ReviewDto[] = [];
    for (const env of ['dev', 'prod']) {
      const res = await as(server, editor.token).post('/api/reviews', {
        path: `prompts/${uniqueName('e')}.prompt`,
        content: promptText('Hi.', { env }),
      });
      made.push(res.json as ReviewDto);
    }
    const { token } = await create(admin.token, {
      name: 'devonly',
      scope: { actions: ['prompt.read'], envs: ['dev'] },
    });
    assert.equal((await as(server, token).get(`/api/reviews/${made[0].id}`)).status, 200);
    assert.equal((await as(server, token).get(`/api/reviews/${made[1].id}`)).status, 404);
    const listed = ((await as(server, token).get('/api/reviews?limit=100')).json as { reviews: ReviewDto[] }).reviews;
    assert.ok(
      listed.every((r) => r.env === 'dev'),
      'the list holds dev reviews only',
    );
  });

  describe('service accounts (a release bot)', () => {
    it('has no password: nobody signs in as it, and no password can be set', async () => {
      const created = await as(server, STATIC_TOKEN).post('/api/users', {
        username: uniqueName('bot'),
        role: 'editor',
        serviceAccount: true,
      });
      assert.equal(created.status, 201, created.text);
      const bot = created.json as UserDto;
      assert.equal(bot.serviceAccount, true);
      const login = await http(server.url, {
        method: 'POST',
        path: '/api/login',
        body: { username: bot.username, password: '!service-account:no-password' },
      });
      assert.equal(login.status, 401);
      const setPassword = await http(server.url, {
        method: 'PATCH',
        path: `/api/users/${bot.id}`,
        token: STATIC_TOKEN,
        body: { password: 'a-much-longer-password-for-a-bot-9' },
      });
      assert.equal(setPassword.status, 422);
      assert.equal(errorOf(setPassword).field, 'password');
      const both = await as(server, STATIC_TOKEN).post('/api/users', {
        username: uniqueName('bot'),
        role: 'editor',
        serviceAccount: true,
        password: 'a-much-longer-password-for-a-bot-9',
      });
      assert.equal(both.status, 422);
    });

    it('gets keys from admins only; the key publishes with the account’s rights and loses them with it', async () => {
      const bot = (
        await as(server, STATIC_TOKEN).post('/api/users', {
          username: uniqueName('bot'),
          role: 'editor',
          serviceAccount: true,
        })
      ).json as UserDto;
      const admin = await testUser(server, 'admin');
      const editor = await testUser(server, 'editor');
      const body = {
        name: 'release',
        scope: { actions: ['prompt.read', 'prompt.publish'] },
        serviceAccount: bot.username,
      };
      const byEditor = await as(server, editor.token).post('/api/api-keys', body);
      assert.equal(byEditor.status, 403);
      assert.match(errorOf(byEditor).message, /made by admins/);
      const forPerson = await as(server, admin.token).post('/api/api-keys', {
        ...body,
        serviceAccount: editor.username,
      });
      assert.equal(forPerson.status, 422);
      assert.equal(errorOf(forPerson).field, 'serviceAccount');

      const { key, token } = await create(admin.token, body);
      assert.equal(key.createdBy, bot.username);
      const me = (await as(server, token).get('/api/me')).json as MeResponse;
      assert.equal(me.user?.username, bot.username);

      const publish = async () => {
        const { review } = await approvedReview(server);
        return as(server, token).post(`/api/reviews/${review.id}/publish`, { headHash: review.headHash });
      };
      assert.equal((await publish()).status, 200);
      const demote = await http(server.url, {
        method: 'PATCH',
        path: `/api/users/${bot.id}`,
        token: STATIC_TOKEN,
        body: { role: 'viewer' },
      });
      assert.equal(demote.status, 200);
      assert.equal((await publish()).status, 403);
    });
  });
});
