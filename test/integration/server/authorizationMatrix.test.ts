import assert from 'node:assert/strict';
import { hashPassword } from '../../../src/server/auth/passwordHashing';
import { keepsAnAdmin } from '../../../src/core/users/lastAdmin';
import type { RunningServer } from '../../../src/server/startServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, createUserDirect, sessionFor, startTestServer } from '../../support/serverFixtures';
import { http } from '../../support/serverHttp';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { promptText } from '../../support/reviewFixtures';
import { applyAccessFile } from '../../support/reviewServer';
import {
  ACTORS,
  AUTHORIZATION_MATRIX,
  ISOLATION_ACCESS_FILE,
  ISOLATION_ACTORS,
  ISOLATION_ENVS,
  ISOLATION_WORKSPACES,
  READ_ISOLATION_MATRIX,
  isolationReadable,
  type Actor,
  type IsolationActor,
  type IsolationRequest,
  type IsolationScope,
} from './authorizationMatrix';

/** A token (or none) for the actor, minted fresh per cell: logout revokes it, after all. */
async function tokenFor(server: RunningServer, actor: Actor): Promise<string | undefined> {
  switch (actor) {
    case 'anonymous':
      return undefined;
    case 'badToken':
      return 'not-a-real-token-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    case 'staticToken':
      return STATIC_TOKEN;
    case 'expiredToken': {
      const past = Date.now() - 60_000;
      return sessionFor(server, await createUserDirect(server, 'admin'), {
        createdAt: past - 1000,
        lastUsedAt: past,
        expiresAt: past,
      });
    }
    case 'removedUser': {
      // An admin, so the 401 can only come from the removal.
      const id = await createUserDirect(server, 'admin');
      const token = await sessionFor(server, id);
      assert.equal((await server.store.deleteUser(id, keepsAnAdmin)).status, 'ok');
      return token;
    }
    case 'viewer':
    case 'editor':
    case 'admin':
      return sessionFor(server, await createUserDirect(server, actor));
  }
}

describeEachBackend('authorization matrix', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;

  before(async () => {
    backend = makeBackend();
    server = await startTestServer(backend);
    // The account the login row signs in with (the only real argon2 hash this suite needs).
    await server.store.createUser({
      id: 'matrix-login',
      username: 'matrix-login',
      passwordHash: await hashPassword('matrix-login-password'),
      role: 'viewer',
      emails: [],
      defaultPassword: false,
      now: Date.now(),
    });
  });

  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  it('has a row with every actor for every registered route, and no rows for routes that do not exist', () => {
    const registered = server.routes.map((r) => `${r.method} ${r.url}`).sort();
    const missing = registered.filter((route) => !(route in AUTHORIZATION_MATRIX));
    assert.deepEqual(missing, [], `routes without rows in the authorization matrix: ${missing.join(', ')}`);
    const stale = Object.keys(AUTHORIZATION_MATRIX).filter((route) => !registered.includes(route));
    assert.deepEqual(stale, [], `matrix rows for routes that are not registered: ${stale.join(', ')}`);
    for (const [route, row] of Object.entries(AUTHORIZATION_MATRIX)) {
      assert.deepEqual(Object.keys(row.expect).sort(), [...ACTORS].sort(), `${route} must list every actor`);
    }
  });

  for (const [route, row] of Object.entries(AUTHORIZATION_MATRIX)) {
    for (const actor of ACTORS) {
      const expected = row.expect[actor];
      it(`${route} as ${actor} → ${expected}`, async () => {
        const request = await row.request(server);
        const token = await tokenFor(server, actor);
        const res = await http(server.url, { ...request, token });
        assert.equal(res.status, expected, `${route} as ${actor}: ${res.text}`);
        if (expected === 401) assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
        if (expected >= 400) {
          assert.ok((res.json as { error?: { code?: string } }).error?.code, 'error body has a code');
        }
      });
    }
  }
});

describeEachBackend('read isolation matrix', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  const tokens = new Map<IsolationActor, string>();
  const scopes: IsolationScope[] = [];
  let authorToken = '';
  let approverToken = '';

  const inject = async (token: string, req: IsolationRequest): Promise<{ status: number; text: string }> => {
    const res = await server.inject({
      method: req.method,
      url: req.url,
      headers: { authorization: `Bearer ${token}` },
      ...(req.body !== undefined ? { payload: req.body as object } : {}),
    });
    return { status: res.statusCode, text: res.body };
  };
  const must = async <T>(token: string, req: IsolationRequest): Promise<T> => {
    const res = await inject(token, req);
    if (res.status >= 300) throw new Error(`${req.method} ${req.url} → ${res.status}: ${res.text}`);
    return JSON.parse(res.text) as T;
  };

  before(async function () {
    this.timeout(120_000);
    backend = makeBackend();
    server = await startTestServer(backend);
    await applyAccessFile(server, ISOLATION_ACCESS_FILE);
    for (const [actor, spec] of Object.entries(ISOLATION_ACTORS) as [
      IsolationActor,
      (typeof ISOLATION_ACTORS)[IsolationActor],
    ][]) {
      tokens.set(
        actor,
        spec.username === null
          ? STATIC_TOKEN
          : await sessionFor(server, await createUserDirect(server, spec.role, spec.username)),
      );
    }
    authorToken = await sessionFor(server, await createUserDirect(server, 'editor', 'iso-author'));
    approverToken = await sessionFor(server, await createUserDirect(server, 'editor', 'iso-approver'));
    let n = 0;
    for (const workspace of ISOLATION_WORKSPACES) {
      for (const env of ISOLATION_ENVS) {
        const marker = `marker${workspace}${env}`;
        const folder = workspace === 'default' ? 'misc' : workspace;
        const freshOpen = (): Promise<ReviewDto> =>
          must<ReviewDto>(authorToken, {
            method: 'POST',
            url: '/api/reviews',
            body: { path: `prompts/${folder}/${env}-${++n}.prompt`, content: promptText(`Say ${marker}.`, { env }) },
          });
        const freshApproved = async (): Promise<ReviewDto> => {
          const r = await freshOpen();
          return must<ReviewDto>(approverToken, {
            method: 'POST',
            url: `/api/reviews/${r.id}/approve`,
            body: { headHash: r.headHash },
          });
        };
        const toPublish = await freshApproved();
        await must(tokens.get('admin')!, {
          method: 'POST',
          url: `/api/reviews/${toPublish.id}/publish`,
          body: { headHash: toPublish.headHash },
        });
        const open = await freshOpen();
        assert.equal(open.workspace, workspace, 'the fixture lands in the scope it names');
        assert.equal(open.env, env);
        scopes.push({ workspace, env, marker, freshOpen, freshApproved, open, published: toPublish });
      }
    }
  });

  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  const cells =
    Object.keys(READ_ISOLATION_MATRIX).length *
    Object.keys(ISOLATION_ACTORS).length *
    ISOLATION_WORKSPACES.length *
    ISOLATION_ENVS.length;
  it(`has at least 1,000 cells (${cells})`, () => assert.ok(cells >= 1000));

  for (const [route, row] of Object.entries(READ_ISOLATION_MATRIX)) {
    for (const actor of Object.keys(ISOLATION_ACTORS) as IsolationActor[]) {
      ISOLATION_WORKSPACES.forEach((workspace, w) => {
        ISOLATION_ENVS.forEach((env, e) => {
          const readable = isolationReadable(actor, workspace);
          it(`${route} as ${actor} in ${workspace}/${env} → ${readable ? 'answers' : 'hidden'}`, async () => {
            const scope = scopes[w * ISOLATION_ENVS.length + e];
            const res = await inject(tokens.get(actor)!, await row.request(scope));
            if (!readable) assert.ok(!res.text.includes(scope.marker), `the answer carries the prompt: ${res.text}`);
            if (row.kind === 'one') {
              if (readable) assert.notEqual(res.status, 404, res.text);
              else assert.equal(res.status, 404, res.text);
              return;
            }
            assert.equal(res.status, 200, res.text);
            const present = row.present!(JSON.parse(res.text), scope);
            if (readable && !row.onlyAbsence) assert.ok(present, `${route} leaves out a readable item`);
            if (!readable) assert.ok(!present, `${route} lists an unreadable item`);
          });
        });
      });
    }
  }

  it('pages stay full and count nothing hidden: hidden reviews interleaved with readable ones', async () => {
    const author = await sessionFor(server, await createUserDirect(server, 'editor', 'iso-pager'));
    const readableIds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const folder = i % 2 === 0 ? 'secret' : 'team';
      const r = await must<ReviewDto>(author, {
        method: 'POST',
        url: '/api/reviews',
        body: { path: `prompts/${folder}/paged-${i}.prompt`, content: promptText(`Paged ${i}.`) },
      });
      if (folder === 'team') readableIds.unshift(r.id);
    }
    type Page = { reviews: { id: string }[]; nextCursor: string | null };
    const outsider = tokens.get('outsider')!;
    const first = await must<Page>(outsider, { method: 'GET', url: '/api/reviews?author=iso-pager&limit=2' });
    assert.deepEqual(
      first.reviews.map((r) => r.id),
      readableIds.slice(0, 2),
    );
    assert.ok(first.nextCursor);
    const second = await must<Page>(outsider, {
      method: 'GET',
      url: `/api/reviews?author=iso-pager&limit=2&cursor=${first.nextCursor}`,
    });
    assert.deepEqual(
      second.reviews.map((r) => r.id),
      readableIds.slice(2),
    );
    assert.equal(second.nextCursor, null);
    // The six rows read are all there are: a page of exactly six ends the list.
    const all = await must<Page>(outsider, { method: 'GET', url: '/api/reviews?author=iso-pager&limit=6' });
    assert.deepEqual(
      all.reviews.map((r) => r.id),
      readableIds,
    );
    assert.equal(all.nextCursor, null);
  });
});
