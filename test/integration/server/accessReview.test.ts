import assert from 'node:assert/strict';
import type { RunningServer } from '../../../src/server/startServer';
import type { AccessReviewResponse } from '../../../src/shared/api/accessReview';
import { testUser } from '../../support/reviewFixtures';
import { applyAccessFile, as } from '../../support/reviewServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, apiKeyFor, startTestServer, uniqueName } from '../../support/serverFixtures';
import { errorOf, http } from '../../support/serverHttp';

const DAY = 24 * 60 * 60 * 1000;

describeEachBackend('access review', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  let clock = Date.now();

  before(async () => {
    backend = makeBackend();
    server = await startTestServer(backend, { now: () => clock });
  });
  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  it('every user × workspace × env with the role that decides there, keys, last sign-in and flags', async () => {
    const password = 'a sturdy password for tests 1';
    const lead = uniqueName('lead');
    const created = await as(server, STATIC_TOKEN).post('/api/users', {
      username: lead,
      password,
      role: 'viewer',
      emails: [`${lead}@example.com`],
    });
    assert.equal(created.status, 201, created.text);
    const stale = await testUser(server, 'editor');
    await apiKeyFor(server, stale.id, ['prompt.read'], { name: 'ci' });
    await applyAccessFile(
      server,
      `version: 1\nworkspaces:\n  team:\n    paths: ["prompts/team/**"]\n    members: { ${lead}: editor, ghost: viewer }\n`,
    );
    const boss = await testUser(server, 'admin');
    assert.equal((await as(server, boss.token).post('/api/workspaces', { name: uniqueName('ws') })).status, 201);
    // lead signed in 10 days ago; the stale editor never did.
    clock -= 10 * DAY;
    assert.equal(
      (await http(server.url, { method: 'POST', path: '/api/login', body: { username: lead, password } })).status,
      200,
    );
    clock += 10 * DAY;

    const res = await as(server, STATIC_TOKEN).get('/api/access-review?days=5');
    assert.equal(res.status, 200, res.text);
    const review = res.json as AccessReviewResponse;
    const rolesOf = (u: string) =>
      review.rows.filter((r) => r.username === u).map((r) => `${r.workspace}/${r.env}=${r.role}:${r.source}`);
    assert.deepEqual(rolesOf(lead).sort(), [
      'default/dev=viewer:org',
      'default/prod=viewer:org',
      'default/test=viewer:org',
      'team/dev=editor:member',
      'team/prod=editor:member',
      'team/test=editor:member',
    ]);
    assert.ok(
      rolesOf('admin').every((r) => r.endsWith('=admin:org')),
      'org admins are admin everywhere',
    );
    const user = review.users.find((u) => u.username === stale.username)!;
    assert.deepEqual(
      user.apiKeys.map((k) => k.name),
      ['ci'],
    );
    const flagsOf = (u: string) => review.flags.filter((f) => f.username === u).map((f) => f.kind);
    assert.deepEqual(flagsOf(lead), ['no-sign-in', 'no-signing-key', 'unused-right'], 'no sign-in in 5 days');
    assert.deepEqual(flagsOf(stale.username), ['no-sign-in', 'no-git-email', 'no-signing-key', 'unused-right']);
    // The bound editor's rights the audit log tracks; reading and running are never judged.
    const unused = review.flags.find((f) => f.username === lead && f.kind === 'unused-right')!;
    assert.match(
      unused.message,
      /has not used prompt\.publish, review\.request, review\.approve, apikey\.manage in 5 days/,
    );
    assert.doesNotMatch(unused.message, /prompt\.read|prompt\.run|user\.manage/);
    // A right used in the window is not flagged.
    const bossUnused = review.flags.find((f) => f.username === boss.username && f.kind === 'unused-right')!;
    assert.match(bossUnused.message, /policy\.apply/);
    assert.doesNotMatch(bossUnused.message, /workspace\.create/);
    // …and its last use is listed, dated.
    const bossUsed = review.users.find((u) => u.username === boss.username)!.rightsUsed;
    assert.deepEqual(
      bossUsed.map((r) => r.right),
      ['workspace.create'],
    );
    assert.equal(bossUsed[0].at, new Date(clock).toISOString().slice(0, 10) + bossUsed[0].at.slice(10));
    assert.deepEqual(user.rightsUsed, [], 'the stale editor used nothing');
    assert.deepEqual(flagsOf('ghost'), ['not-on-server']);
    for (const f of review.flags) assert.ok(f.fix.length > 10, `${f.kind} says what to do`);

    const wider = (await as(server, STATIC_TOKEN).get('/api/access-review?days=30')).json as AccessReviewResponse;
    assert.ok(!wider.flags.some((f) => f.username === lead && f.kind === 'no-sign-in'), 'within 30 days');
    assert.equal((await as(server, STATIC_TOKEN).get('/api/access-review?days=0')).status, 422);
    await applyAccessFile(server, 'version: 1\n');
  });

  it('refused for non-admins, their API keys, and an admin key without user.manage', async () => {
    for (const role of ['viewer', 'editor'] as const) {
      const u = await testUser(server, role);
      const res = await as(server, u.token).get('/api/access-review');
      assert.equal(res.status, 403, role);
      assert.match(errorOf(res).message, /Managing users needs/);
      const key = await apiKeyFor(server, u.id, ['user.manage']);
      assert.equal((await as(server, key.token).get('/api/access-review')).status, 403, `${role} key`);
    }
    const admin = await testUser(server, 'admin');
    const narrow = await apiKeyFor(server, admin.id, ['prompt.read']);
    const refused = await as(server, narrow.token).get('/api/access-review');
    assert.equal(refused.status, 403);
    assert.match(errorOf(refused).message, /may not user\.manage/);
    const wide = await apiKeyFor(server, admin.id, ['user.manage']);
    assert.equal((await as(server, wide.token).get('/api/access-review')).status, 200);
  });
});
