import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditExport, type AuditExport } from '../../../src/core/audit/auditChain';
import { importPublicKey } from '../../../src/core/release/signingKeys';
import type { RunningServer } from '../../../src/server/startServer';
import type { AuditCheckpointsResponse, AuditEntryDto, AuditListResponse } from '../../../src/shared/api/audit';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { ensureBuilt, runCli } from '../../support/cli';
import { promptText, testUser } from '../../support/reviewFixtures';
import { applyAccessFile, PROMPTLAYER_ACCESS } from '../../support/reviewServer';
import { describeEachBackend, tempDir, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, startTestServer } from '../../support/serverFixtures';

describeEachBackend('audit log: refusals, hash chain, signed checkpoints', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  let second: RunningServer;

  const call = async (token: string | undefined, method: 'GET' | 'POST' | 'DELETE', url: string, body?: object) => {
    const res = await server.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(body ? { payload: body } : {}),
    });
    return { status: res.statusCode, json: (res.body ? JSON.parse(res.body) : undefined) as unknown };
  };
  const entries = async (query = ''): Promise<AuditEntryDto[]> => {
    const out: AuditEntryDto[] = [];
    let cursor = '';
    for (;;) {
      const page = (await call(STATIC_TOKEN, 'GET', `/api/audit?limit=200${query}${cursor}`)).json as AuditListResponse;
      out.push(...page.entries);
      if (!page.nextCursor) return out.reverse();
      cursor = `&cursor=${page.nextCursor}`;
    }
  };

  before(async () => {
    backend = makeBackend();
    server = await startTestServer(backend);
    // A second process on the same database: appends from both must make one chain.
    second = await startTestServer(backend);
    await applyAccessFile(server, PROMPTLAYER_ACCESS);
  });
  after(async () => {
    await second?.close();
    await server?.close();
    await backend?.cleanup();
  });

  it('records refused review, publish, user and workspace actions and sign-ins: who, what, why (never the password)', async () => {
    const viewer = await testUser(server, 'viewer');
    const erin = await testUser(server, 'editor', 'erin');
    const path = 'prompts/support/audited.prompt';
    assert.equal((await call(viewer.token, 'POST', '/api/reviews', { path, content: promptText('Hi.') })).status, 403);
    const review = (await call(erin.token, 'POST', '/api/reviews', { path, content: promptText('Hi.') }))
      .json as ReviewDto;
    const approve = await call(erin.token, 'POST', `/api/reviews/${review.id}/approve`, { headHash: review.headHash });
    assert.equal(approve.status, 403, 'a drafter may not approve');
    const publish = await call(erin.token, 'POST', `/api/reviews/${review.id}/publish`, { headHash: review.headHash });
    assert.equal(publish.status, 403);
    assert.equal(
      (await call(viewer.token, 'POST', '/api/users', { username: 'x', password: 'y', role: 'admin' })).status,
      403,
    );
    assert.equal((await call(viewer.token, 'POST', '/api/workspaces', { name: 'nope' })).status, 403);
    // A viewer registering a signing key as erin's (to commit as her): refused, and on record.
    const erinId = (await call(erin.token, 'GET', '/api/me')).json as { user: { id: string } };
    const forged = await call(viewer.token, 'POST', `/api/users/${erinId.user.id}/signing-keys`, {
      publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl forged',
    });
    assert.equal(forged.status, 403);
    assert.equal(
      (await call(undefined, 'POST', '/api/login', { username: 'erin', password: 'wrong-secret-pw' })).status,
      401,
    );

    const refused = await entries('&outcome=refused');
    const find = (actor: string, action: string) => refused.find((e) => e.actor === actor && e.action === action);
    const createRefused = find(viewer.username, 'review.create');
    assert.ok(createRefused, 'the viewer’s refused review request');
    assert.match(createRefused.reason ?? '', /./);
    assert.equal(find('erin', 'review.approve')?.targetId, review.id);
    assert.match(find('erin', 'review.approve')?.reason ?? '', /drafter/);
    assert.ok(find('erin', 'release.publish'));
    assert.match(
      find(viewer.username, 'user.create')?.reason ?? '',
      /Managing users needs the `admin` role; you are `viewer`/,
    );
    assert.ok(find(viewer.username, 'workspace.create'));
    assert.equal(find(viewer.username, 'user.signing_key.add')?.targetId, erinId.user.id);
    const signIn = find('erin', 'session.login_failed');
    assert.ok(signIn);
    assert.ok(!JSON.stringify(refused).includes('wrong-secret-pw'), 'no password in the log');
    assert.ok(!JSON.stringify(refused).includes('"password"'));
  });

  it('chains every entry to the one before, across two processes appending at once, and an export verifies offline', async () => {
    // 30 refused sign-ins through both processes at once: a forked chain would show as two entries with one prevHash.
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? server : second).inject({
          method: 'POST',
          url: '/api/login',
          payload: { username: `ghost${i}`, password: 'not-the-password' },
          remoteAddress: `10.9.${i}.1`,
        }),
      ),
    );
    const all = await entries();
    assert.ok(all.length >= 30);
    assert.ok(all.every((e) => e.hash && e.prevHash));
    assert.equal(new Set(all.map((e) => e.prevHash)).size, all.length, 'no two entries share a predecessor');
    for (let i = 1; i < all.length; i++) assert.equal(all[i].prevHash, all[i - 1].hash, `entry ${all[i].id}`);

    const { checkpoints } = (await call(STATIC_TOKEN, 'GET', '/api/audit/checkpoints'))
      .json as AuditCheckpointsResponse;
    assert.equal(checkpoints.at(-1)?.entryId, all.at(-1)?.id, 'the tail is signed');
    const key = importPublicKey(((await call(STATIC_TOKEN, 'GET', '/api/keys/public')).json as { pem: string }).pem);
    const exp: AuditExport = { entries: all, checkpoints };
    assert.deepEqual(verifyAuditExport(exp, key).problems, []);

    // Offline with the CLI: the export as it is, then with one entry changed and one removed.
    ensureBuilt();
    const dir = tempDir('promptops-audit-');
    writeFileSync(join(dir, 'key.pem'), key.export({ type: 'spki', format: 'pem' }).toString());
    writeFileSync(join(dir, 'good.json'), JSON.stringify(exp));
    const good = runCli(['audit', 'verify', 'good.json', '--public-key', 'key.pem'], dir);
    assert.equal(good.status, 0, good.stderr);
    assert.match(good.stdout, /entries chained, \d+ checkpoints? signed by the given key/);
    const changed = structuredClone(exp);
    changed.entries[3].actor = 'someone-else';
    changed.entries.splice(7, 1);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(changed));
    const bad = runCli(['audit', 'verify', 'bad.json', '--public-key', 'key.pem'], dir);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, new RegExp(`entry ${exp.entries[3].id}: its content does not match its hash`));
    assert.match(bad.stderr, new RegExp(`entry ${exp.entries[8].id}: does not follow the entry before it`));
  });
});
