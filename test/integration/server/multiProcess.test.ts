import assert from 'node:assert/strict';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { spawnServe, type ServeProcess } from '../../support/serverProcess';
import { http } from '../../support/serverHttp';

const TOKEN = 'multi-process-test-token-0123456789';

/**
 * Each process keeps the identities it has read while the store's auth generation stands
 * still (IdentityCache): every change below is made through one process and must hold on
 * the very next request to the other, which has just answered from what it kept.
 */
describeEachBackend('two server processes on one database', (makeBackend) => {
  let backend: TestBackend | undefined;
  let a: ServeProcess | undefined;
  let b: ServeProcess | undefined;

  before(async function () {
    this.timeout(30000);
    backend = makeBackend();
    const env = {
      PROMPTOPS_TOKEN: TOKEN,
      PROMPTOPS_DATA_DIR: backend.options.dataDir ?? '',
      PROMPTOPS_DATABASE_URL: backend.options.databaseUrl ?? '',
      PROMPTOPS_DATABASE_SCHEMA: backend.options.databaseSchema ?? '',
    };
    // Started together: migrations and the first-start admin must happen exactly once.
    [a, b] = await Promise.all([spawnServe([], env), spawnServe([], env)]);
  });

  after(async () => {
    for (const proc of [a, b]) {
      if (proc && proc.child.exitCode === null) {
        proc.child.kill('SIGTERM');
        await proc.exited;
      }
    }
    await backend?.cleanup();
  });

  const url = (proc: ServeProcess | undefined): string => proc?.url ?? '';

  async function userWithSession(role: string): Promise<{ id: string; username: string; token: string }> {
    const username = `u${Math.floor(Math.random() * 1e9)}`;
    const created = await http(url(a), {
      method: 'POST',
      path: '/api/users',
      token: TOKEN,
      body: { username, password: 'shared password', role },
    });
    assert.equal(created.status, 201);
    const login = await http(url(b), {
      method: 'POST',
      path: '/api/login',
      body: { username, password: 'shared password' },
    });
    assert.equal(login.status, 200);
    return { id: (created.json as { id: string }).id, username, token: (login.json as { token: string }).token };
  }

  const me = (on: ServeProcess | undefined, token: string) => http(url(on), { method: 'GET', path: '/api/me', token });

  it('signs out through one process and the token is dead on the next request to the other', async () => {
    const user = await userWithSession('viewer');
    assert.equal((await me(b, user.token)).status, 200, 'B has read and kept the session');
    assert.equal((await me(b, user.token)).status, 200);
    assert.equal((await http(url(a), { method: 'POST', path: '/api/logout', token: user.token })).status, 204);
    assert.equal((await me(b, user.token)).status, 401, 'signed out through A, refused by B');
  });

  it('changes a password through one process and the user’s sessions die on the other', async () => {
    const user = await userWithSession('editor');
    assert.equal((await me(b, user.token)).status, 200, 'B has read and kept the session');
    const changed = await http(url(a), {
      method: 'PATCH',
      path: `/api/users/${user.id}`,
      token: TOKEN,
      body: { password: 'a brand new passphrase' },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.json));
    assert.equal((await me(b, user.token)).status, 401, 'whoever knew the old password is signed out on B too');
  });

  it('revokes an API key through one process and the key is refused on the next request to the other', async () => {
    const user = await userWithSession('editor');
    const created = await http(url(b), {
      method: 'POST',
      path: '/api/api-keys',
      token: user.token,
      body: { name: 'ci', scope: { actions: ['prompt.read'] } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const key = created.json as { token: string; key: { id: string } };
    assert.equal((await me(b, key.token)).status, 200, 'B has read and kept the key');
    assert.equal((await me(b, key.token)).status, 200);
    const revoked = await http(url(a), { method: 'DELETE', path: `/api/api-keys/${key.key.id}`, token: user.token });
    assert.equal(revoked.status, 204);
    assert.equal((await me(b, key.token)).status, 401, 'revoked through A, refused by B');
  });

  it('enforces a role change made through one process on the next request to the other', async () => {
    const server1 = url(a);
    const server2 = url(b);
    const created = [a, b].filter((p) => /First start/.test(p?.stderr() ?? '')).length;
    assert.equal(created, 1, 'exactly one process created admin/admin');

    const user = await http(server1, {
      method: 'POST',
      path: '/api/users',
      token: TOKEN,
      body: { username: 'shared', password: 'shared password', role: 'editor' },
    });
    assert.equal(user.status, 201);
    const id = (user.json as { id: string }).id;
    const login = await http(server2, {
      method: 'POST',
      path: '/api/login',
      body: { username: 'shared', password: 'shared password' },
    });
    assert.equal(login.status, 200);
    const token = (login.json as { token: string }).token;

    const createWs = (name: string) =>
      http(server2, { method: 'POST', path: '/api/workspaces', token, body: { name } });
    assert.equal((await createWs('via-b-1')).status, 201);
    assert.equal(
      ((await http(server2, { method: 'GET', path: '/api/me', token })).json as { role: string }).role,
      'editor',
    );
    assert.equal(
      (await http(server1, { method: 'PATCH', path: `/api/users/${id}`, token: TOKEN, body: { role: 'viewer' } }))
        .status,
      200,
    );
    assert.equal((await createWs('via-b-2')).status, 403, 'demoted through A, refused by B');

    assert.equal((await http(server1, { method: 'DELETE', path: `/api/users/${id}`, token: TOKEN })).status, 204);
    assert.equal(
      (await http(server2, { method: 'GET', path: '/api/me', token })).status,
      401,
      'removed through A, token dead on B',
    );

    const listed = await http(server1, { method: 'GET', path: '/api/workspaces', token: TOKEN });
    assert.ok((listed.json as { workspaces: { name: string }[] }).workspaces.some((w) => w.name === 'via-b-1'));
  });
});
