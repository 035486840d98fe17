import assert from 'node:assert/strict';
import {
  PG_SKIP_MESSAGE,
  PG_URL,
  announcePgSkip,
  postgresBackend,
  type TestBackend,
} from '../../support/serverBackends';
import { spawnServe, type ServeProcess } from '../../support/serverProcess';
import { http } from '../../support/serverHttp';

const TOKEN = 'multi-process-test-token-0123456789';

describe('two server processes on one PostgreSQL', function () {
  this.timeout(30000);
  let backend: TestBackend | undefined;
  let a: ServeProcess | undefined;
  let b: ServeProcess | undefined;

  before(async function () {
    if (!PG_URL) {
      announcePgSkip();
      this.skip();
    }
    backend = postgresBackend(PG_URL);
    const env = {
      PROMPTOPS_TOKEN: TOKEN,
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

  if (!PG_URL)
    it(PG_SKIP_MESSAGE, function () {
      this.skip();
    });

  it('enforces a role change made through one process on the next request to the other', async () => {
    const server1 = a?.url ?? '';
    const server2 = b?.url ?? '';
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
