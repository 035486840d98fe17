import assert from 'node:assert/strict';
import { hashPassword } from '../../../src/server/auth/passwordHashing';
import type { RunningServer } from '../../../src/server/startServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, createUserDirect, sessionFor, startTestServer } from '../../support/serverFixtures';
import { http } from '../../support/serverHttp';
import { ACTORS, AUTHORIZATION_MATRIX, type Actor } from './authorizationMatrix';

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
      assert.equal((await server.store.deleteUser(id)).status, 'ok');
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
