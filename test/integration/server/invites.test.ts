import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { RunningServer } from '../../../src/server/startServer';
import type { AuditListResponse } from '../../../src/shared/api/audit';
import type { CreateInviteResponse, InviteDto } from '../../../src/shared/api/invites';
import { testUser } from '../../support/reviewFixtures';
import { applyAccessFile, as } from '../../support/reviewServer';
import { describeEachBackend, queryDatabase, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, apiKeyFor, createUserDirect, startTestServer, uniqueName } from '../../support/serverFixtures';
import { errorOf, http } from '../../support/serverHttp';

const DAY = 24 * 60 * 60 * 1000;
const GOOD_PASSWORD = 'violet tractor sings at noon 7';

describeEachBackend('invites', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  let clock = Date.now();
  const log: string[] = [];

  before(async () => {
    backend = makeBackend();
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
    server = await startTestServer(backend, { now: () => clock, logLevel: 'info', logStream });
  });
  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  const invite = async (token: string, body: object): Promise<CreateInviteResponse> => {
    const res = await as(server, token).post('/api/invites', body);
    assert.equal(res.status, 201, res.text);
    return res.json as CreateInviteResponse;
  };
  const accept = (token: string, password: string) =>
    http(server.url, { method: 'POST', path: '/api/invites/accept', body: { token, password } });

  it('an admin invites; the invitee accepts once with their own password and can sign in', async () => {
    const admin = await testUser(server, 'admin');
    const username = uniqueName('newcomer');
    const created = await invite(admin.token, { username, role: 'editor' });
    assert.match(created.token, new RegExp(`^poi_${created.invite.id}_[A-Za-z0-9_-]{43}$`));
    assert.equal(created.invite.state, 'pending');
    assert.equal(created.invite.createdBy, admin.username);
    assert.equal(Date.parse(created.invite.expiresAt), clock + 7 * DAY, 'default expiry: 7 days');

    const list = await as(server, admin.token).get('/api/invites');
    assert.equal(list.status, 200);
    assert.ok(!list.text.includes(created.token.slice(-43)), 'the list never carries the token');
    const rows = await queryDatabase<Record<string, unknown>>(
      backend,
      `SELECT * FROM invites WHERE id = '${created.invite.id}'`,
    );
    assert.ok(!JSON.stringify(rows[0]).includes(created.token.slice(-43)), 'stored hashed');
    assert.equal(rows[0].secret_hash, createHash('sha256').update(created.token).digest('hex'));

    const ok = await accept(created.token, GOOD_PASSWORD);
    assert.equal(ok.status, 201, ok.text);
    assert.equal((ok.json as { user: { username: string; role: string } }).user.role, 'editor');
    const login = await http(server.url, {
      method: 'POST',
      path: '/api/login',
      body: { username, password: GOOD_PASSWORD },
    });
    assert.equal(login.status, 200, login.text);

    const again = await accept(created.token, GOOD_PASSWORD);
    assert.equal(again.status, 410);
    assert.equal(errorOf(again).code, 'invite_used');
    assert.match(errorOf(again).message, /already accepted.*works once/);

    const listed = (await as(server, admin.token).get('/api/invites')).json as { invites: InviteDto[] };
    assert.equal(listed.invites.find((i) => i.id === created.invite.id)?.state, 'accepted');

    const audit = await as(server, STATIC_TOKEN).get('/api/audit?action=invite.*&limit=50');
    const entries = (audit.json as AuditListResponse).entries.filter((e) => e.targetId === created.invite.id);
    assert.deepEqual(entries.map((e) => `${e.action} ${e.outcome}`).sort(), [
      'invite.accept done',
      'invite.accept refused',
      'invite.create done',
    ]);
    const text = JSON.stringify(audit.json);
    assert.ok(!text.includes(GOOD_PASSWORD) && !text.includes(created.token.slice(-43)), 'no secrets audited');
  });

  it('a weak password is refused and the invite stays usable', async () => {
    const username = uniqueName('weak');
    const { token } = await invite(STATIC_TOKEN, { username, role: 'viewer' });
    const weak = await accept(token, 'password123');
    assert.equal(weak.status, 422);
    assert.equal(errorOf(weak).field, 'password');
    const same = await accept(token, username + '!');
    assert.equal(same.status, 422);
    assert.equal((await accept(token, GOOD_PASSWORD)).status, 201);
  });

  it('refuses a revoked invite, and revoking is audited', async () => {
    const admin = await testUser(server, 'admin');
    const created = await invite(admin.token, { username: uniqueName('rev'), role: 'viewer' });
    assert.equal((await as(server, admin.token).del(`/api/invites/${created.invite.id}`)).status, 204);
    const res = await accept(created.token, GOOD_PASSWORD);
    assert.equal(res.status, 410);
    assert.equal(errorOf(res).code, 'invite_revoked');
    const audit = await as(server, STATIC_TOKEN).get(`/api/audit?action=invite.revoke&actor=${admin.username}`);
    assert.equal((audit.json as AuditListResponse).entries[0]?.targetId, created.invite.id);
  });

  it('refuses an expired invite', async () => {
    const created = await invite(STATIC_TOKEN, {
      username: uniqueName('late'),
      role: 'viewer',
      expiresAt: new Date(clock + DAY).toISOString(),
    });
    clock += 2 * DAY;
    try {
      const res = await accept(created.token, GOOD_PASSWORD);
      assert.equal(res.status, 410);
      assert.equal(errorOf(res).code, 'invite_expired');
      assert.match(errorOf(res).message, /expired on .*ask an admin for a new one/);
    } finally {
      clock -= 2 * DAY;
    }
  });

  it('refuses an invite whose username was taken meanwhile', async () => {
    const username = uniqueName('taken');
    const created = await invite(STATIC_TOKEN, { username, role: 'viewer' });
    await createUserDirect(server, 'viewer', username);
    const res = await accept(created.token, GOOD_PASSWORD);
    assert.equal(res.status, 409);
    assert.match(errorOf(res).message, new RegExp(`username ${username} is taken`));
    // And no invite is made for a name already in use.
    const dup = await as(server, STATIC_TOKEN).post('/api/invites', { username, role: 'viewer' });
    assert.equal(dup.status, 409);
  });

  it('refuses a wrong or garbled token without saying whether an invite exists', async () => {
    const created = await invite(STATIC_TOKEN, { username: uniqueName('guess'), role: 'viewer' });
    const forged = `poi_${created.invite.id}_${'A'.repeat(43)}`;
    for (const token of [forged, 'poi_nothing', 'hello']) {
      const res = await accept(token, GOOD_PASSWORD);
      assert.equal(res.status, 404, token);
      assert.equal(errorOf(res).field, 'token');
    }
    assert.equal((await accept(created.token, GOOD_PASSWORD)).status, 201, 'the real token still works');
  });

  it('non-admins cannot invite: sessions, API keys, and a key of an admin without user.invite', async () => {
    const body = { username: uniqueName('x'), role: 'viewer' };
    for (const role of ['viewer', 'editor'] as const) {
      const user = await testUser(server, role);
      const res = await as(server, user.token).post('/api/invites', body);
      assert.equal(res.status, 403, `${role} session`);
      assert.match(errorOf(res).message, /Inviting users needs/);
      const key = await apiKeyFor(server, user.id, ['user.invite']);
      const viaKey = await as(server, key.token).post('/api/invites', body);
      assert.equal(viaKey.status, 403, `${role} key`);
      assert.match(errorOf(viaKey).message, /only its creator's rights/);
      assert.equal((await as(server, user.token).get('/api/invites')).status, 403);
    }
    const admin = await testUser(server, 'admin');
    const narrow = await apiKeyFor(server, admin.id, ['prompt.read']);
    const res = await as(server, narrow.token).post('/api/invites', body);
    assert.equal(res.status, 403);
    assert.match(errorOf(res).message, /may not user\.invite/);
    const wide = await apiKeyFor(server, admin.id, ['user.invite']);
    assert.equal((await as(server, wide.token).post('/api/invites', body)).status, 201);
  });

  it('a binding can hand user.invite to an editor, who still cannot invite above their own role', async () => {
    const lead = await testUser(server, 'editor');
    await applyAccessFile(
      server,
      `version: 1\nroles:\n  lead: { extends: editor, allow: [user.invite] }\nworkspaces:\n  default:\n    paths: ["**"]\n    members: { ${lead.username}: lead }\n`,
    );
    try {
      assert.equal(
        (await as(server, lead.token).post('/api/invites', { username: uniqueName('e'), role: 'editor' })).status,
        201,
      );
      const admin = await as(server, lead.token).post('/api/invites', { username: uniqueName('a'), role: 'admin' });
      assert.equal(admin.status, 403);
      assert.match(errorOf(admin).message, /above your own/);
    } finally {
      await applyAccessFile(server, 'version: 1\n');
    }
  });

  it('nothing the invitee types reaches the server log', async () => {
    const { token } = await invite(STATIC_TOKEN, { username: uniqueName('quiet'), role: 'viewer' });
    await accept(token, 'password123');
    await accept(token, GOOD_PASSWORD);
    await accept(`poi_${'0'.repeat(16)}_${'B'.repeat(43)}`, 'another secret words 99');
    const text = log.join('');
    assert.ok(text.includes('/api/invites/accept'), 'the requests were logged');
    for (const secret of [token.slice(-43), 'password123', GOOD_PASSWORD, 'B'.repeat(43), 'another secret words 99']) {
      assert.ok(!text.includes(secret), `log holds ${secret}`);
    }
  });

  it('serves the invite page with a strict content security policy', async () => {
    const page = await http(server.url, { method: 'GET', path: '/invite' });
    assert.equal(page.status, 200);
    assert.match(page.text, /<form id="accept"/);
    assert.match(String(page.headers.get('content-security-policy')), /script-src 'self'/);
  });
});
