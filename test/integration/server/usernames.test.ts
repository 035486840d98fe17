import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { LightMyRequestResponse } from 'fastify';
import { Client } from 'pg';
import { normalizeUsername } from '../../../src/core/users/username';
import { openStore, SQLITE_FILE_NAME } from '../../../src/server/store/openStore';
import { POSTGRES_MIGRATIONS } from '../../../src/server/store/postgres/postgresMigrations';
import { SQLITE_MIGRATIONS } from '../../../src/server/store/sqlite/sqliteMigrations';
import type { RunningServer } from '../../../src/server/startServer';
import { describeEachBackend, queryDatabase, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, startTestServer } from '../../support/serverFixtures';

const PASSWORD = 'correct horse battery staple';
const KELVIN = '\u212A';

describe('normalizeUsername', () => {
  it('applies NFKC and a locale-independent full case fold, once for every use', () => {
    assert.equal(normalizeUsername(' Alice '), 'alice');
    assert.equal(normalizeUsername(`${KELVIN}ate`), 'kate', 'the Kelvin sign is K');
    assert.equal(normalizeUsername('Straße'), 'strasse', 'ß folds to ss');
    assert.equal(normalizeUsername('İvica'), 'i\u0307vica', 'İ is i + combining dot, never the Turkish rule');
    assert.notEqual(normalizeUsername('İvica'), 'ivica');
    assert.equal(normalizeUsername('ＡＤＭＩＮ'), 'admin', 'full-width letters');
    const once = normalizeUsername('İSTANBUL-Straße');
    assert.equal(normalizeUsername(once), once, 'idempotent');
  });
});

describeEachBackend('usernames', (makeBackend) => {
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

  const create = (username: string): Promise<LightMyRequestResponse> =>
    server.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${STATIC_TOKEN}` },
      payload: { username, password: PASSWORD, role: 'viewer' },
    });
  const login = (username: string, password = PASSWORD, from = '198.51.100.1'): Promise<LightMyRequestResponse> =>
    server.inject({ method: 'POST', url: '/api/login', payload: { username, password }, remoteAddress: from });
  const stem = `${process.pid}x${Math.floor(Math.random() * 1e6)}`;

  it('stores the normalised name and finds it however it is typed', async () => {
    const created = await create(`Ivica${stem}`);
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json<{ username: string }>().username, `ivica${stem}`);
    const rows = await queryDatabase<{ username: string }>(
      backend,
      `SELECT username FROM users WHERE username LIKE '%vica${stem}'`,
    );
    assert.deepEqual(
      rows.map((r) => r.username),
      [`ivica${stem}`],
    );
    assert.equal((await login(`IVICA${stem}`)).statusCode, 200);
    assert.equal((await login(`İvica${stem}`)).statusCode, 401, 'İ is not I: no store folds it into ivica');
    assert.equal((await create(`IVICA${stem}`)).statusCode, 409);
  });

  it('folds ß and the Kelvin sign on sign-in, and refuses them on creation (names are ASCII)', async () => {
    assert.equal((await create(`strasse${stem}`)).statusCode, 201);
    assert.equal((await login(`Straße${stem}`)).statusCode, 200);
    assert.equal((await create(`kelvin${stem}`)).statusCode, 201);
    assert.equal((await login(`${KELVIN}elvin${stem}`)).statusCode, 200);
    assert.equal((await create(`${KELVIN}elvin2${stem}`)).statusCode, 422);
    assert.equal((await create(`İvica2${stem}`)).statusCode, 422);
  });

  it('counts every spelling of one name against one throttle key', async () => {
    const name = `kara${stem}`;
    assert.equal((await create(name)).statusCode, 201);
    const spellings = [
      `${KELVIN}ARA${stem}`,
      `Kara${stem}`,
      ` kara${stem}`,
      `ＫＡＲＡ${stem}`,
      `${KELVIN}ara${stem}`,
      name,
    ];
    for (const spelling of spellings) {
      assert.equal((await login(spelling, 'wrong guess', '203.0.113.60')).statusCode, 401, spelling);
    }
    assert.equal((await login(name, PASSWORD, '203.0.113.60')).statusCode, 429);
    const rows = await queryDatabase<{ key: string; failures: number }>(
      backend,
      `SELECT key, failures FROM login_throttle WHERE key LIKE 'account%kara${stem}%'`,
    );
    assert.deepEqual(rows.map((r) => [r.key, Number(r.failures)]).sort(), [
      [`account-address:${name} 203.0.113.60`, 6],
      [`account:${name}`, 6],
    ]);
  });
});

describeEachBackend('username migration', (makeBackend) => {
  let backend: TestBackend;
  before(() => {
    backend = makeBackend();
  });
  after(async () => backend?.cleanup());

  it('lower-cases names stored before version 4 and keeps them unique', async () => {
    const before = (m: { version: number }): boolean => m.version < 4;
    const seed = `INSERT INTO users (id, username, password_hash, role, default_password, created_at, updated_at)
      VALUES ('u1', 'MixedCase', 'x', 'viewer', ${backend.name === 'sqlite' ? 0 : 'FALSE'}, 1, 1)`;
    if (backend.name === 'sqlite') {
      // The schema as it stood after version 3, built from the migrations themselves.
      const location = { dataDir: backend.options.dataDir ?? '' };
      const db = new Database(join(location.dataDir, SQLITE_FILE_NAME));
      db.exec(
        `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`,
      );
      for (const m of SQLITE_MIGRATIONS.filter(before)) {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.version, m.name);
      }
      db.exec(seed);
      db.close();
    } else {
      const client = new Client({ connectionString: backend.options.databaseUrl });
      await client.connect();
      const schema = backend.options.databaseSchema ?? '';
      try {
        await client.query(`CREATE SCHEMA "${schema}"; SET search_path = "${schema}"`);
        await client.query(
          'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
        );
        for (const m of POSTGRES_MIGRATIONS.filter(before)) {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations VALUES ($1, $2, 0)', [m.version, m.name]);
        }
        await client.query(seed);
      } finally {
        await client.end();
      }
    }
    const store = await openStore({ dataDir: backend.options.dataDir ?? '', ...backend.options });
    try {
      assert.equal((await store.getUserByUsername('mixedcase'))?.id, 'u1');
      assert.deepEqual(
        (await store.listUsers()).filter((u) => u.id === 'u1').map((u) => u.username),
        ['mixedcase'],
      );
    } finally {
      await store.close();
    }
  });
});
