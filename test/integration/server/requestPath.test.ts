import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { Authenticator } from '../../../src/server/auth/authenticator';
import { DEFAULT_SESSION_POLICY } from '../../../src/server/auth/sessionPolicy';
import { hashToken, tokenDigest } from '../../../src/server/auth/sessionTokens';
import { StaticToken } from '../../../src/server/auth/staticToken';
import { BufferedLogStream } from '../../../src/server/http/bufferedLogStream';
import type { RunningServer } from '../../../src/server/startServer';
import { openStore, SQLITE_FILE_NAME } from '../../../src/server/store/openStore';
import { SQLITE_MIGRATIONS } from '../../../src/server/store/sqlite/sqliteMigrations';
import { describeEachBackend, queryDatabase, tempDir, type TestBackend } from '../../support/serverBackends';
import { createUserDirect, sessionFor, startTestServer, STATIC_TOKEN, uniqueName } from '../../support/serverFixtures';
import { http } from '../../support/serverHttp';
import { waitFor } from '../../support/waitFor';

/** The per-request path made cheaper must stay exactly as strict and as informative. */
describe('server request path', () => {
  it('hashes a token once: the digest is the stored hex hash and the static token check uses it', () => {
    const token = 'some-session-token';
    assert.equal(tokenDigest(token).toString('hex'), hashToken(token));
    const staticToken = new StaticToken('s3cret-admin-token');
    assert.equal(staticToken.matchesDigest(tokenDigest('s3cret-admin-token')), true);
    assert.equal(staticToken.matchesDigest(tokenDigest('s3cret-admin-tokeN')), false);
    assert.equal(
      staticToken.matchesDigest(Buffer.alloc(5)),
      false,
      'a digest of another length is refused, not thrown on',
    );
  });

  it('reads one generation number per request, and the identity again only when that has moved', async () => {
    const dataDir = tempDir();
    const real = await openStore({ dataDir });
    const calls: string[] = [];
    // The real store, each call counted: what a request costs is what it asks the store.
    const store = new Proxy(real, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    try {
      const t0 = Date.now();
      let clock = t0;
      const policy = DEFAULT_SESSION_POLICY;
      const authenticator = new Authenticator(
        store,
        new StaticToken('admin-token-long-enough-1234'),
        policy,
        () => clock,
      );
      const user = await real.createUser({
        id: 'u1',
        username: 'ann',
        passwordHash: 'unused',
        role: 'viewer',
        emails: [],
        defaultPassword: false,
        now: t0,
      });
      await real.createSession({
        tokenHash: hashToken('t'),
        userId: user.id,
        createdAt: t0,
        lastUsedAt: t0,
        expiresAt: t0 + policy.absoluteMs,
      });
      const take = (): string[] => calls.splice(0);

      assert.equal((await authenticator.authenticate('t'))?.role, 'viewer');
      assert.deepEqual(take(), ['authGeneration', 'findSession'], 'first request: the generation, then the session');
      assert.equal((await authenticator.authenticate('t'))?.role, 'viewer');
      assert.deepEqual(take(), ['authGeneration'], 'next request: the generation alone');

      await real.updateUser(user.id, { role: 'admin' }, t0, () => true);
      const promoted = await authenticator.authenticate('t');
      assert.equal(promoted?.role, 'admin', 'a role change applies on the next request');
      assert.deepEqual(take(), ['authGeneration', 'findSession']);
      assert.throws(
        () => {
          (promoted as { user: { role: string } }).user.role = 'viewer';
        },
        TypeError,
        'a kept identity cannot be altered by the request it is handed to',
      );

      clock = t0 + policy.touchEveryMs;
      await authenticator.authenticate('t');
      assert.deepEqual(
        take(),
        ['authGeneration', 'findSession', 'touchSession'],
        'due to be touched: read and touched',
      );
      await authenticator.authenticate('t');
      assert.deepEqual(take(), ['authGeneration'], 'the touch does not move the generation');

      // Another process has used the session since: what is kept here looks idle-expired,
      // the store says it is not, and only the store's answer counts.
      clock = t0 + policy.touchEveryMs + policy.idleMs + 1;
      await real.touchSession(hashToken('t'), clock - 1);
      assert.equal((await authenticator.authenticate('t'))?.role, 'admin', 'used elsewhere: still signed in');
      assert.deepEqual(take(), ['authGeneration', 'findSession']);

      await real.deleteSession(hashToken('t'));
      assert.equal(await authenticator.authenticate('t'), undefined, 'signed out: refused on the next request');
      assert.deepEqual(await authenticator.authenticate('admin-token-long-enough-1234'), {
        kind: 'static-token',
        role: 'admin',
      });
      take();
      await authenticator.authenticate('admin-token-long-enough-1234');
      assert.deepEqual(take(), [], 'the static token needs no store read');
    } finally {
      await real.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('batches access lines but writes logger lines, and everything before them, by the next turn', async () => {
    const written: string[] = [];
    const target = { write: (chunk: string) => written.push(chunk) } as unknown as NodeJS.WritableStream;
    const stream = new BufferedLogStream(target);
    stream.writeAccess('a1\n');
    stream.writeAccess('a2\n');
    stream.write('warn\n');
    stream.writeAccess('a3\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(written, ['a1\na2\nwarn\na3\n'], 'one write, in order');
    stream.writeAccess('a4\n');
    assert.equal(written.length, 1, 'a lone access line waits for the batching delay');
    await waitFor('the lone access line to be written', () => written.length > 1, 2_000);
    assert.deepEqual(written.slice(1), ['a4\n'], 'a lone access line is written within the batching delay');
    stream.writeAccess('x'.repeat(20_000));
    assert.equal(written.length, 3, 'a large batch is written at once');
    stream.writeAccess('a5\n');
    stream.flush();
    assert.deepEqual(written.slice(3), ['a5\n'], 'flush() writes what is pending');
  });
});

describeEachBackend('server request path', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  let logs = '';

  before(async () => {
    backend = makeBackend();
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => (logs += chunk.toString('utf8')));
    server = await startTestServer(backend, { logLevel: 'info', logStream });
  });

  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  it('writes one JSON access line per request, in pino’s shape, without the query string or any token', async () => {
    const id = await createUserDirect(server, 'viewer');
    const token = await sessionFor(server, id);
    await http(server.url, { method: 'GET', path: '/api/me?token=query-canary-1234', token });
    await http(server.url, { method: 'GET', path: '/api/me', token: 'bad-token-canary-5678' });
    await http(server.url, { method: 'GET', path: '/api/no%22such' });
    await waitFor('the three access lines', () => (logs.match(/request completed/g) ?? []).length >= 3);
    const lines = logs
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const access = lines.filter((l) => l.msg === 'request completed');
    const me = access.filter((l) => l.path === '/api/me');
    assert.deepEqual(
      me.map((l) => l.statusCode),
      [200, 401],
    );
    for (const line of me) {
      assert.deepEqual(Object.keys(line), [
        'level',
        'time',
        'pid',
        'hostname',
        'reqId',
        'method',
        'path',
        'statusCode',
        'responseTimeMs',
        'remoteAddress',
        'msg',
      ]);
      assert.equal(line.level, 30);
      assert.equal(line.pid, process.pid);
      assert.equal(line.method, 'GET');
      assert.equal(line.remoteAddress, '127.0.0.1');
      assert.equal(typeof line.time, 'number');
      assert.equal(typeof line.responseTimeMs, 'number');
      assert.match(String(line.reqId), /^req-/);
    }
    assert.ok(access.some((l) => l.path === '/api/no%22such' && l.statusCode === 404));
    for (const secret of ['query-canary-1234', 'bad-token-canary-5678', token, STATIC_TOKEN]) {
      assert.ok(!logs.includes(secret), `logs contain ${secret.slice(0, 12)}…`);
    }
  });

  it('returns a user’s emails from the user row, kept in step with every change', async () => {
    const admin = { token: STATIC_TOKEN };
    const username = uniqueName('mails');
    const created = await http(server.url, {
      method: 'POST',
      path: '/api/users',
      ...admin,
      body: {
        username,
        password: 'long enough password 1',
        role: 'viewer',
        emails: [`${username}@a.example`, `${username}@b.example`],
      },
    });
    assert.equal(created.status, 201, created.text);
    const id = (created.json as { id: string }).id;
    const token = await sessionFor(server, id);
    const me = async (): Promise<string[]> =>
      ((await http(server.url, { method: 'GET', path: '/api/me', token })).json as { user: { emails: string[] } }).user
        .emails;
    assert.deepEqual(await me(), [`${username}@a.example`, `${username}@b.example`]);
    const patched = await http(server.url, {
      method: 'PATCH',
      path: `/api/users/${id}`,
      ...admin,
      body: { emails: [`${username}@c.example`] },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(await me(), [`${username}@c.example`]);
    const listed = (await http(server.url, { method: 'GET', path: '/api/users', ...admin })).json as {
      users: { id: string; emails: string[] }[];
    };
    assert.deepEqual(listed.users.find((u) => u.id === id)?.emails, [`${username}@c.example`]);
    const rows = await queryDatabase<{ email: string }>(
      backend,
      `SELECT email FROM user_emails WHERE user_id = '${id}' ORDER BY position`,
    );
    assert.deepEqual(
      rows.map((r) => r.email),
      [`${username}@c.example`],
      'user_emails (the uniqueness index) agrees',
    );
  });
});

describe('store migration 3 (emails on the user row)', () => {
  it('copies each user’s existing emails, in order, onto the user row', async () => {
    const dataDir = tempDir('promptops-migration3-');
    const db = new Database(join(dataDir, SQLITE_FILE_NAME));
    db.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    for (const m of SQLITE_MIGRATIONS.filter((x) => x.version < 3)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    }
    db.prepare(
      "INSERT INTO users (id, username, password_hash, role, created_at, updated_at) VALUES ('u1', 'old', 'x', 'viewer', 1, 1)",
    ).run();
    db.prepare(
      "INSERT INTO users (id, username, password_hash, role, created_at, updated_at) VALUES ('u2', 'none', 'x', 'viewer', 1, 1)",
    ).run();
    db.prepare(
      "INSERT INTO user_emails (email, user_id, position) VALUES ('second@x.example', 'u1', 1), ('first@x.example', 'u1', 0)",
    ).run();
    db.close();
    const store = await openStore({ dataDir });
    try {
      assert.deepEqual((await store.getUserById('u1'))?.emails, ['first@x.example', 'second@x.example']);
      assert.deepEqual((await store.getUserById('u2'))?.emails, []);
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
