import assert from 'node:assert/strict';
import type { RunningServer } from '../../../src/server/startServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, startTestServer } from '../../support/serverFixtures';

describeEachBackend('admin warnings in GET /api/me', (makeBackend) => {
  let backend: TestBackend;
  let first: RunningServer;
  let second: RunningServer;

  before(async () => {
    backend = makeBackend();
    first = await startTestServer(backend);
    second = await startTestServer(backend);
  });

  after(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await backend?.cleanup();
  });

  const codes = async (server: RunningServer): Promise<string[]> => {
    const me = await server.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${STATIC_TOKEN}` },
    });
    assert.equal(me.statusCode, 200, me.body);
    return me
      .json<{ warnings: { code: string }[] }>()
      .warnings.map((w) => w.code)
      .sort();
  };

  /** Counts the store's default-password queries made by `server` while `work` runs. */
  async function defaultPasswordQueries(server: RunningServer, work: () => Promise<void>): Promise<number> {
    const store = server.store;
    const original = store.hasUserWithDefaultPassword.bind(store);
    let calls = 0;
    store.hasUserWithDefaultPassword = () => {
      calls += 1;
      return original();
    };
    try {
      await work();
    } finally {
      store.hasUserWithDefaultPassword = original;
    }
    return calls;
  }

  it('a password change in one process clears the warning on the next request in another, which then stops asking', async () => {
    assert.deepEqual(await codes(second), ['default-admin-password', 'default-static-token']);
    const users = await first.inject({
      method: 'GET',
      url: '/api/users',
      headers: { authorization: `Bearer ${STATIC_TOKEN}` },
    });
    const admin = users.json<{ users: { id: string; username: string }[] }>().users.find((u) => u.username === 'admin');
    const changed = await first.inject({
      method: 'PATCH',
      url: `/api/users/${admin?.id}`,
      headers: { authorization: `Bearer ${STATIC_TOKEN}` },
      payload: { password: 'a long and new admin passphrase' },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual(await codes(second), ['default-static-token'], 'the very next request in the other process');
    const queries = await defaultPasswordQueries(second, async () => {
      for (let i = 0; i < 20; i++) assert.deepEqual(await codes(second), ['default-static-token']);
    });
    assert.equal(queries, 0, 'no per-request query once the default password is gone');
  });
});
