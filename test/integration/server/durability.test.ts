import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_FILE_NAME } from '../../../src/server/store/openStore';
import { tempDir } from '../../support/serverBackends';
import { spawnServe, type ServeProcess } from '../../support/serverProcess';
import { http } from '../../support/serverHttp';

const TOKEN = 'durability-test-token-0123456789';

/** A real `promptops serve` child process on SQLite, restarted and killed. */
describe('server durability on sqlite (real `promptops serve` processes)', function () {
  this.timeout(30000);
  let dataDir: string;
  const running: ServeProcess[] = [];

  const serve = async (): Promise<ServeProcess> => {
    const proc = await spawnServe(['--data-dir', dataDir], { PROMPTOPS_TOKEN: TOKEN });
    running.push(proc);
    return proc;
  };

  beforeEach(() => {
    dataDir = tempDir('promptops-durability-');
  });

  afterEach(() => {
    for (const proc of running.splice(0)) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps users, workspaces and sessions across a graceful restart (SIGTERM)', async () => {
    const first = await serve();
    assert.match(first.stderr(), /First start: created user "admin" with password "admin"/);
    assert.match(first.stderr(), /WARNING: The admin account still has the default password/);

    const login = await http(first.url, {
      method: 'POST',
      path: '/api/login',
      body: { username: 'admin', password: 'admin' },
    });
    assert.equal(login.status, 200);
    const session = (login.json as { token: string }).token;
    const user = await http(first.url, {
      method: 'POST',
      path: '/api/users',
      token: session,
      body: { username: 'durable', password: 'durable password', role: 'editor', emails: ['durable@example.com'] },
    });
    assert.equal(user.status, 201);
    assert.equal(
      (await http(first.url, { method: 'POST', path: '/api/workspaces', token: session, body: { name: 'kept' } }))
        .status,
      201,
    );

    first.child.kill('SIGTERM');
    assert.deepEqual(await first.exited, { code: 0, signal: null }, 'graceful shutdown exits 0');

    const second = await serve();
    assert.doesNotMatch(second.stderr(), /First start/);
    const me = await http(second.url, { method: 'GET', path: '/api/me', token: session });
    assert.equal(me.status, 200, 'the session survived the restart');
    assert.equal((me.json as { user: { username: string } }).user.username, 'admin');
    const users = await http(second.url, { method: 'GET', path: '/api/users', token: session });
    const durable = (users.json as { users: { username: string; role: string; emails: string[] }[] }).users.find(
      (u) => u.username === 'durable',
    );
    assert.deepEqual(durable && { role: durable.role, emails: durable.emails }, {
      role: 'editor',
      emails: ['durable@example.com'],
    });
    const workspaces = await http(second.url, { method: 'GET', path: '/api/workspaces', token: session });
    assert.deepEqual(
      (workspaces.json as { workspaces: { name: string }[] }).workspaces.map((w) => w.name),
      ['default', 'kept'],
    );
    assert.equal(
      (
        await http(second.url, {
          method: 'POST',
          path: '/api/login',
          body: { username: 'durable', password: 'durable password' },
        })
      ).status,
      200,
    );
  });

  it('loses no acknowledged write when killed with SIGKILL mid-burst, and the file stays intact', async () => {
    const proc = await serve();
    const acknowledged: string[] = [];
    let killed = false;

    const worker = async (w: number): Promise<void> => {
      for (let i = 0; !killed; i++) {
        const name = `burst-${w}-${i}`;
        try {
          const res = await http(proc.url, { method: 'POST', path: '/api/workspaces', token: TOKEN, body: { name } });
          if (res.status === 201) acknowledged.push(name);
        } catch {
          return; // connection refused/reset: the server is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // Kill while requests are in flight, once a good number have been acknowledged.
    const started = Date.now();
    while (acknowledged.length < 150 && Date.now() - started < 8000) await new Promise((r) => setTimeout(r, 20));
    proc.child.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    assert.equal((await proc.exited).signal, 'SIGKILL');
    assert.ok(acknowledged.length >= 50, `only ${acknowledged.length} writes acknowledged before the kill`);

    const db = new Database(join(dataDir, SQLITE_FILE_NAME));
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const stored = new Set(
        (db.prepare('SELECT name FROM workspaces').all() as { name: string }[]).map((r) => r.name),
      );
      const lost = acknowledged.filter((name) => !stored.has(name));
      assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged writes were lost`);
    } finally {
      db.close();
    }

    const restarted = await serve();
    const listed = await http(restarted.url, { method: 'GET', path: '/api/workspaces', token: TOKEN });
    const names = new Set((listed.json as { workspaces: { name: string }[] }).workspaces.map((w) => w.name));
    assert.ok(acknowledged.every((n) => names.has(n)));
  });
});
