import assert from 'node:assert/strict';
import { POSTGRES_MIGRATIONS } from '../../../src/server/store/postgres/postgresMigrations';
import { SQLITE_MIGRATIONS } from '../../../src/server/store/sqlite/sqliteMigrations';
import { openStore } from '../../../src/server/store/openStore';
import { describeEachBackend, queryDatabase, type TestBackend } from '../../support/serverBackends';

describe('store migrations', () => {
  it('keep the same versions in both dialects', () => {
    assert.deepEqual(
      SQLITE_MIGRATIONS.map((m) => m.version),
      POSTGRES_MIGRATIONS.map((m) => m.version),
    );
  });
});

describeEachBackend('store migrations', (makeBackend) => {
  let backend: TestBackend;
  before(() => {
    backend = makeBackend();
  });
  after(async () => backend?.cleanup());

  it('run once when several stores open the same database at the same time, and again is a no-op', async () => {
    const location = { dataDir: backend.options.dataDir ?? '', ...backend.options };
    const stores = await Promise.all([openStore(location), openStore(location), openStore(location)]);
    await Promise.all(stores.map((s) => s.close()));
    const again = await openStore(location);
    const workspaces = await again.listWorkspaces();
    await again.close();
    const applied = await queryDatabase<{ version: number }>(
      backend,
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    assert.deepEqual(
      applied.map((r) => Number(r.version)),
      SQLITE_MIGRATIONS.map((m) => m.version),
    );
    assert.deepEqual(
      workspaces.map((w) => w.id),
      ['default'],
    );
  });

  it('move the auth generation on every change to users, sessions and API keys but not on a touch (migration 19)', async () => {
    const store = await openStore({ dataDir: backend.options.dataDir ?? '', ...backend.options });
    try {
      const now = Date.now();
      await store.createUser({
        id: 'gen-user',
        username: 'gen-user',
        passwordHash: 'unused',
        role: 'editor',
        emails: ['gen@example.com'],
        defaultPassword: false,
        now,
      });
      await store.createSession({
        tokenHash: 'gen-session',
        userId: 'gen-user',
        createdAt: now,
        lastUsedAt: now,
        expiresAt: now + 1,
      });
      await store.createApiKey({
        id: 'gen-key',
        name: 'gen-key',
        secretHash: 'unused',
        userId: 'gen-user',
        scope: { actions: ['prompt.read'] },
        createdAt: now,
        expiresAt: now + 1,
        lastUsedAt: null,
      });
      const rows: Record<string, string> = {
        users: "id = 'gen-user'",
        sessions: "token_hash = 'gen-session'",
        api_keys: "id = 'gen-key'",
      };
      const moved: string[] = [];
      const expected: string[] = [];
      for (const [table, where] of Object.entries(rows)) {
        // Every column the table has now, so a column added later without its trigger fails here.
        const columns =
          backend.name === 'sqlite'
            ? (await queryDatabase<{ name: string }>(backend, `PRAGMA table_info(${table})`)).map((c) => c.name)
            : (
                await queryDatabase<{ column_name: string }>(
                  backend,
                  `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '${table}'`,
                )
              ).map((c) => c.column_name);
        assert.ok(columns.length >= 5, `${table} has columns`);
        for (const column of columns) {
          if (column !== 'last_used_at') expected.push(`${table}.${column}`);
          const before = await store.authGeneration();
          await queryDatabase(backend, `UPDATE ${table} SET ${column} = ${column} WHERE ${where}`, true);
          if ((await store.authGeneration()) !== before) moved.push(`${table}.${column}`);
        }
      }
      assert.deepEqual(moved, expected, 'every column moves it but last use (a touch)');
      assert.ok(
        moved.includes('users.role') && moved.includes('sessions.expires_at') && moved.includes('api_keys.scope'),
      );
      for (const [table, where] of Object.entries(rows).reverse()) {
        const before = await store.authGeneration();
        await queryDatabase(backend, `DELETE FROM ${table} WHERE ${where}`, true);
        assert.notEqual(await store.authGeneration(), before, `deleting from ${table} moves it`);
      }
    } finally {
      await store.close();
    }
  });
});
