import assert from 'node:assert/strict';
import { hashPassword } from '../../../src/server/auth/passwordHashing';
import { SIGNING_KEY_SETTING } from '../../../src/server/signing/serverSigningKey';
import type { RunningServer } from '../../../src/server/startServer';
import type { AuditListResponse } from '../../../src/shared/api/audit';
import type { PublicKeyResponse } from '../../../src/shared/api/keys';
import type { ApplyPolicyResponse, PolicyDto } from '../../../src/shared/api/policy';
import type { DirectoryResponse } from '../../../src/shared/api/directory';
import type { WorkspaceDto } from '../../../src/shared/api/workspaces';
import { importPublicKey } from '../../../src/core/release/signingKeys';
import { parseUserDirectory, verifyUserDirectorySignature } from '../../../src/core/release/userDirectory';
import { sha, testUser } from '../../support/reviewFixtures';
import { as, PROMPTLAYER_ACCESS, SOME_COMMIT } from '../../support/reviewServer';
import { describeEachBackend, queryDatabase, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, startTestServer } from '../../support/serverFixtures';
import { errorOf, http } from '../../support/serverHttp';

describeEachBackend('access file, signing key and audit log', (makeBackend) => {
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

  it('GET /api/policy is 404 before the first apply', async () => {
    const res = await as(server, STATIC_TOKEN).get('/api/policy');
    assert.equal(res.status, 404);
    assert.equal(errorOf(res).code, 'no_policy');
  });

  it('refuses a broken access file with every located problem, and applies nothing', async () => {
    const broken =
      'version: 1\nroles:\n  reviewer: { extends: nobody }\nworkspaces:\n  support:\n    members: { bob: ghost }\n';
    const res = await as(server, STATIC_TOKEN).put('/api/policy', { content: broken, commit: SOME_COMMIT });
    assert.equal(res.status, 422, res.text);
    const error = (
      res.json as { error: { code: string; field: string; diagnostics: { line: number; field: string }[] } }
    ).error;
    assert.equal(error.code, 'invalid_access_file');
    assert.equal(error.field, 'content');
    assert.ok(error.diagnostics.length >= 2);
    assert.ok(error.diagnostics.every((d) => d.line > 1));
    assert.equal((await as(server, STATIC_TOKEN).get('/api/policy')).status, 404);
  });

  it('applies a file: versions grow, workspaces it declares are created (never deleted), same content is a no-op', async () => {
    const admin = await testUser(server, 'admin');
    const first = (
      await as(server, admin.token).put('/api/policy', { content: PROMPTLAYER_ACCESS, commit: SOME_COMMIT })
    ).json as ApplyPolicyResponse;
    assert.deepEqual(
      [first.changed, first.policy.version, first.policy.sha256, first.policy.appliedBy, first.createdWorkspaces],
      [true, 1, sha(PROMPTLAYER_ACCESS), admin.username, ['support']],
    );
    const same = (
      await as(server, admin.token).put('/api/policy', { content: PROMPTLAYER_ACCESS, commit: SOME_COMMIT })
    ).json as ApplyPolicyResponse;
    assert.deepEqual([same.changed, same.policy.version], [false, 1]);
    const smaller = 'version: 1\nworkspaces:\n  Sales:\n    paths: ["prompts/sales/**"]\n';
    const second = (await as(server, admin.token).put('/api/policy', { content: smaller, commit: SOME_COMMIT }))
      .json as ApplyPolicyResponse;
    assert.deepEqual([second.policy.version, second.createdWorkspaces], [2, ['Sales']]);
    const names = (
      (await as(server, admin.token).get('/api/workspaces')).json as { workspaces: WorkspaceDto[] }
    ).workspaces.map((w) => w.name);
    assert.deepEqual(names.sort(), ['Sales', 'default', 'support']);
    // A workspace made through the seed API and one in the file are the same thing.
    const viewer = await testUser(server, 'viewer');
    const current = (await as(server, viewer.token).get('/api/policy')).json as PolicyDto;
    assert.deepEqual([current.version, current.content], [2, smaller]);
    const sales = (
      await as(server, admin.token).put('/api/policy', {
        content: 'version: 1\nworkspaces:\n  sales: {}\n',
        commit: SOME_COMMIT,
      })
    ).json as ApplyPolicyResponse;
    assert.deepEqual(sales.createdWorkspaces, [], 'names are case-insensitive, as in the seed API');
  });

  it('keeps one signing key, published as PEM and base64 SPKI, that signs the user directory', async () => {
    const viewer = await testUser(server, 'viewer');
    const key = (await as(server, viewer.token).get('/api/keys/public')).json as PublicKeyResponse;
    assert.equal(key.algorithm, 'Ed25519');
    assert.match(key.pem, /BEGIN PUBLIC KEY/);
    assert.match(key.keyId, /^[0-9a-f]{16}$/);
    const rows = await queryDatabase<{ n: number }>(
      backend,
      `SELECT count(*) AS n FROM settings WHERE key = '${SIGNING_KEY_SETTING}'`,
    );
    assert.equal(Number(rows[0].n), 1);
    const dir = (await as(server, viewer.token).get('/api/directory')).json as DirectoryResponse;
    assert.equal(dir.directory.keyId, key.keyId);
    const parsed = parseUserDirectory(dir.file);
    assert.ok(parsed.directory, JSON.stringify(parsed.diagnostics));
    assert.equal(verifyUserDirectorySignature(parsed.directory, importPublicKey(key.spkiBase64)), true);
    assert.ok(parsed.directory.users.some((u) => u.username === viewer.username && u.role === 'viewer'));
  });

  it('a restarted server keeps its key', async () => {
    const before = ((await as(server, STATIC_TOKEN).get('/api/keys/public')).json as PublicKeyResponse).keyId;
    await server.close();
    server = await startTestServer(backend);
    const after = ((await as(server, STATIC_TOKEN).get('/api/keys/public')).json as PublicKeyResponse).keyId;
    assert.equal(after, before);
  });

  it('audits sign-ins (and failed ones), user and workspace changes, and policy applies, without secrets', async () => {
    await server.store.createUser({
      id: 'audit-me',
      username: 'audit-me',
      passwordHash: await hashPassword('audit-me-password'),
      role: 'viewer',
      emails: [],
      defaultPassword: false,
      now: Date.now(),
    });
    assert.equal(
      (
        await http(server.url, {
          method: 'POST',
          path: '/api/login',
          body: { username: 'audit-me', password: 'wrong-password' },
        })
      ).status,
      401,
    );
    assert.equal(
      (
        await http(server.url, {
          method: 'POST',
          path: '/api/login',
          body: { username: 'audit-me', password: 'audit-me-password' },
        })
      ).status,
      200,
    );
    const admin = await testUser(server, 'admin');
    const created = (
      await as(server, admin.token).post('/api/users', {
        username: 'newbie',
        password: 'a-long-password',
        role: 'viewer',
      })
    ).json as { id: string };
    await http(server.url, {
      method: 'PATCH',
      path: `/api/users/${created.id}`,
      token: admin.token,
      body: { role: 'editor', password: 'another-long-one' },
    });
    await as(server, admin.token).del(`/api/users/${created.id}`);
    const ws = (await as(server, admin.token).post('/api/workspaces', { name: 'audited' })).json as WorkspaceDto;
    await as(server, admin.token).del(`/api/workspaces/${ws.id}`);

    const { entries } = (await as(server, STATIC_TOKEN).get('/api/audit?limit=200')).json as AuditListResponse;
    const find = (action: string) => entries.find((e) => e.action === action);
    assert.equal(find('session.login_failed')?.actor, 'audit-me');
    assert.equal(find('session.login')?.actor, 'audit-me');
    const update = find('user.update');
    assert.deepEqual(
      [
        update?.actor,
        (update?.before as { role: string }).role,
        (update?.after as { role: string; passwordChanged: boolean }).role,
        (update?.after as { passwordChanged: boolean }).passwordChanged,
      ],
      [admin.username, 'viewer', 'editor', true],
    );
    assert.ok(
      find('user.create') &&
        find('user.delete') &&
        find('workspace.create') &&
        find('workspace.delete') &&
        find('policy.apply'),
    );
    assert.ok(!JSON.stringify(entries).includes('argon2'), 'no password hash in the audit log');
    assert.ok(!JSON.stringify(entries).includes('a-long-password'), 'no password in the audit log');

    const since = (
      await as(server, STATIC_TOKEN).get(
        `/api/audit?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      )
    ).json as AuditListResponse;
    assert.deepEqual(since.entries, []);
    const page = (await as(server, STATIC_TOKEN).get('/api/audit?limit=3')).json as AuditListResponse;
    const next = (await as(server, STATIC_TOKEN).get(`/api/audit?limit=3&cursor=${page.nextCursor}`))
      .json as AuditListResponse;
    assert.ok(Number(next.entries[0].id) < Number(page.entries[2].id));
    assert.equal((await as(server, STATIC_TOKEN).get('/api/audit?since=yesterday')).status, 422);
  });

  it('entries cannot be changed or removed, even below the API', async () => {
    const attempt = async (sql: string) => {
      if (backend.name === 'sqlite') {
        const Database = (await import('better-sqlite3')).default;
        const db = new Database(`${backend.options.dataDir}/promptops.sqlite`);
        try {
          db.prepare(sql).run();
        } finally {
          db.close();
        }
      } else {
        await queryDatabase(backend, sql);
      }
    };
    await assert.rejects(attempt("UPDATE audit_log SET actor = 'mallory'"), /append-only/);
    await assert.rejects(attempt('DELETE FROM audit_log'), /append-only/);
  });
});
