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
});
