import assert from 'node:assert/strict';
import type { RunningServer } from '../../../src/server/startServer';
import type { AuditEntryDto, AuditListResponse } from '../../../src/shared/api/audit';
import type { PublicKeyResponse } from '../../../src/shared/api/keys';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { SIGNING_KEY_SETTING } from '../../../src/server/signing/serverSigningKey';
import { promptText, sha, testUser, type TestUser } from '../../support/reviewFixtures';
import { as } from '../../support/reviewServer';
import {
  describeEachBackend,
  postgresBackend,
  queryDatabase,
  sqliteBackend,
  type TestBackend,
} from '../../support/serverBackends';
import { STATIC_TOKEN, startTestServer } from '../../support/serverFixtures';
import type { HttpResult } from '../../support/serverHttp';

type Op = { kind: 'approve' | 'revise' | 'publish'; user: TestUser; run: () => Promise<HttpResult> };

/** The review's history as the audit log orders it (one row lock at a time), oldest first; refusals changed nothing. */
async function historyOf(server: RunningServer, reviewId: string): Promise<AuditEntryDto[]> {
  const { entries } = (await as(server, STATIC_TOKEN).get('/api/audit?limit=200&outcome=done'))
    .json as AuditListResponse;
  return entries.filter((e) => e.targetType === 'review' && e.targetId === reviewId).reverse();
}

/**
 * Replays the audit order through the rules and checks each step was legal then: what a
 * serial execution in that order would allow, and the state it would leave.
 */
function replay(history: AuditEntryDto[], initialHead: string) {
  const model = { head: initialHead, revision: 1, approvers: new Set<string>(), published: false };
  for (const e of history) {
    const after = e.after as { headHash?: string; sha256?: string };
    assert.equal(model.published, false, `${e.action} after the review was published`);
    if (e.action === 'review.revise') {
      model.head = after.headHash!;
      model.revision += 1;
      model.approvers.clear();
    } else if (e.action === 'review.approve') {
      assert.equal(after.headHash, model.head, 'an approval of a head that was no longer current');
      assert.ok(!model.approvers.has(e.actor!), 'the same user counted twice');
      model.approvers.add(e.actor!);
    } else if (e.action === 'release.publish') {
      assert.ok(model.approvers.size >= 1, 'published without an approval');
      assert.equal(after.sha256, model.head, 'published a head that was not current');
      model.published = true;
    }
  }
  return model;
}

describeEachBackend('50 concurrent actions on one review', (makeBackend) => {
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

  for (let round = 1; round <= 2; round++) {
    it(`leave exactly the state of the serial order the audit log records (round ${round})`, async () => {
      const author = await testUser(server, 'editor');
      const path = `prompts/race-${round}.prompt`;
      const v1 = promptText('Version one.');
      const review = (await as(server, author.token).post('/api/reviews', { path, content: v1 })).json as ReviewDto;
      const editors = await Promise.all(Array.from({ length: 25 }, () => testUser(server, 'editor')));
      const revisions = Array.from({ length: 10 }, (_, i) => promptText(`Version two, take ${i}.`));
      const heads = [v1, ...revisions].map(sha);

      const ops: Op[] = [];
      editors.forEach((user, i) => {
        // Most approve the first head; some approve a revision's head, which may or may not be current by then.
        const headHash = heads[i % 3 === 0 ? 1 + (i % revisions.length) : 0];
        ops.push({
          kind: 'approve',
          user,
          run: () => as(server, user.token).post(`/api/reviews/${review.id}/approve`, { headHash }),
        });
      });
      revisions.forEach((content) =>
        ops.push({
          kind: 'revise',
          user: author,
          run: () => as(server, author.token).post(`/api/reviews/${review.id}/revisions`, { content }),
        }),
      );
      editors.slice(0, 15).forEach((user, i) => {
        const headHash = heads[i % heads.length];
        ops.push({
          kind: 'publish',
          user,
          run: () => as(server, user.token).post(`/api/reviews/${review.id}/publish`, { headHash }),
        });
      });
      assert.equal(ops.length, 50);
      // Shuffled, then all at once.
      ops.sort(() => Math.random() - 0.5);
      const results = await Promise.all(ops.map(async (op) => ({ op, res: await op.run() })));

      for (const { op, res } of results) {
        assert.ok([200, 403, 409, 422].includes(res.status), `${op.kind} → ${res.status}: ${res.text}`);
      }
      const succeeded = (kind: Op['kind']) => results.filter((r) => r.op.kind === kind && r.res.status === 200).length;
      const history = await historyOf(server, review.id);
      const count = (action: string) => history.filter((e) => e.action === action).length;
      assert.equal(count('review.approve'), succeeded('approve'));
      assert.equal(count('review.revise'), succeeded('revise'));
      assert.equal(count('release.publish'), succeeded('publish'));
      assert.ok(succeeded('publish') <= 1, 'published at most once');

      const model = replay(
        history.filter((e) => e.action !== 'review.create'),
        sha(v1),
      );
      const final = (await as(server, author.token).get(`/api/reviews/${review.id}`)).json as ReviewDto;
      assert.equal(final.revision, model.revision);
      assert.equal(final.headHash, model.head);
      assert.equal(final.status, model.published ? 'published' : 'open');
      assert.deepEqual(
        new Set(final.verdicts.filter((v) => !v.dismissed && v.verdict === 'approve').map((v) => v.username)),
        model.approvers,
      );
      assert.equal(final.revisions.length, model.revision);
      if (model.published) assert.equal(final.release?.sha256, model.head);
    });
  }

  it('servers starting together on one database keep one signing key', async function () {
    const fresh = backend.name === 'postgres' ? postgresBackend(backend.options.databaseUrl!) : sqliteBackend();
    const servers = await Promise.all([startTestServer(fresh), startTestServer(fresh), startTestServer(fresh)]);
    try {
      const keys = await Promise.all(
        servers.map(async (s) => ((await as(s, STATIC_TOKEN).get('/api/keys/public')).json as PublicKeyResponse).keyId),
      );
      assert.equal(new Set(keys).size, 1);
      const rows = await queryDatabase<{ n: string }>(
        fresh,
        `SELECT count(*) AS n FROM settings WHERE key = '${SIGNING_KEY_SETTING}'`,
      );
      assert.equal(Number(rows[0].n), 1);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await fresh.cleanup();
    }
  });
});
