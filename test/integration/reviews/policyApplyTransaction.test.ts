import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { ACCESS_FILE_PATH } from '../../../src/core/access/accessPolicy';
import { parsePolicyRecord } from '../../../src/core/release/policyLock';
import type { RunningServer } from '../../../src/server/startServer';
import { SQLITE_FILE_NAME } from '../../../src/server/store/openStore';
import type { ApplyPolicyResponse, PolicyDto } from '../../../src/shared/api/policy';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { mustPost, testUser, type TestUser } from '../../support/reviewFixtures';
import { as } from '../../support/reviewServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { startTestServer } from '../../support/serverFixtures';
import { errorOf, type HttpResult } from '../../support/serverHttp';

const COMMIT = 'c'.repeat(40);
const REVIEWED = 'version: 1\npolicyApprovals: { required: 2 }\n';
const changed = (marker: string) =>
  `version: 1\npolicyApprovals: { required: 2 }\nprotected: ["prompts/${marker}/**"]\n`;

/**
 * Makes the next insert into access_policies fail inside the store (a crash after the
 * request passed every check); returns the undo.
 */
async function failPolicyInserts(backend: TestBackend): Promise<() => Promise<void>> {
  if (backend.name === 'sqlite') {
    const db = new Database(join(backend.options.dataDir!, SQLITE_FILE_NAME));
    db.exec(
      "CREATE TRIGGER fail_policy BEFORE INSERT ON access_policies BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
    );
    return async () => {
      db.exec('DROP TRIGGER fail_policy');
      db.close();
    };
  }
  const client = new Client({ connectionString: backend.options.databaseUrl });
  await client.connect();
  const schema = `"${backend.options.databaseSchema!}"`;
  await client.query(
    `CREATE FUNCTION ${schema}.fail_policy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
  );
  await client.query(
    `CREATE TRIGGER fail_policy BEFORE INSERT ON ${schema}.access_policies FOR EACH ROW EXECUTE FUNCTION ${schema}.fail_policy()`,
  );
  return async () => {
    await client.query(`DROP TRIGGER fail_policy ON ${schema}.access_policies`);
    await client.query(`DROP FUNCTION ${schema}.fail_policy()`);
    await client.end();
  };
}

describeEachBackend('policy apply: the review is closed in the transaction that applies the version', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  const apply = (content: string) => as(server, alice.token).put('/api/policy', { content, commit: COMMIT });
  const current = async () => (await as(server, alice.token).get('/api/policy')).json as PolicyDto;
  const reviewStatus = async (id: string) =>
    ((await as(server, alice.token).get(`/api/reviews/${id}`)).json as ReviewDto).status;
  const approvedReview = async (content: string): Promise<ReviewDto> => {
    const review = await mustPost<ReviewDto>(server, alice.token, '/api/reviews', { path: ACCESS_FILE_PATH, content });
    for (const who of [bob, carol])
      await mustPost(server, who.token, `/api/reviews/${review.id}/approve`, { headHash: review.headHash });
    return review;
  };
  const auditOf = async (action: string, targetId: string) =>
    (await server.store.listAudit({ action, limit: 500 })).filter((e) => e.targetId === targetId);

  before(async () => {
    backend = makeBackend();
    server = await startTestServer(backend);
    [alice, bob, carol] = await Promise.all([
      testUser(server, 'admin'),
      testUser(server, 'admin'),
      testUser(server, 'admin'),
    ]);
    const first = await apply(REVIEWED);
    assert.equal(first.status, 200, first.text);
  });

  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  it('an apply that fails after its checks leaves the review open with its approvals, and applies nothing', async () => {
    const content = changed('crash');
    const review = await approvedReview(content);
    const before = await current();
    const undo = await failPolicyInserts(backend);
    let failed: HttpResult;
    try {
      failed = await apply(content);
    } finally {
      await undo();
    }
    assert.equal(failed.status, 500, failed.text);
    assert.equal((await current()).version, before.version, 'no version was applied');
    assert.equal(await reviewStatus(review.id), 'open', 'the review was not closed without applying');
    assert.deepEqual(await auditOf('review.policy_applied', review.id), []);

    // The same approvals still apply it, once.
    const applied = await apply(content);
    assert.equal(applied.status, 200, applied.text);
    const { policy } = applied.json as ApplyPolicyResponse;
    assert.equal(policy.version, before.version + 1);
    assert.deepEqual(parsePolicyRecord(policy.record!).record!.approvals, [bob.username, carol.username].sort());
    assert.equal(await reviewStatus(review.id), 'published');
  });

  it('concurrent applies of one approved change: one version, one closed review; the others apply nothing', async () => {
    const content = changed('race');
    const review = await approvedReview(content);
    const before = await current();
    const answers = await Promise.all([apply(content), apply(content), apply(content), apply(content)]);
    const applied = answers.filter((a) => a.status === 200 && (a.json as ApplyPolicyResponse).changed);
    assert.equal(applied.length, 1, answers.map((a) => `${a.status} ${a.text}`).join('\n'));
    for (const other of answers.filter((a) => !applied.includes(a))) {
      // Either refused, or (arriving after) told the content is already in force.
      if (other.status === 200) assert.equal((other.json as ApplyPolicyResponse).changed, false, other.text);
      else assert.equal(other.status, 409, other.text);
    }
    assert.equal((await current()).version, before.version + 1);
    assert.equal(await reviewStatus(review.id), 'published');
    assert.equal((await auditOf('review.policy_applied', review.id)).length, 1);
  });

  it('a second apply with the same approvals is refused: the review they were given on is spent', async () => {
    const content = changed('again');
    const review = await approvedReview(content);
    assert.equal((await apply(content)).status, 200);
    // Something else in force now, then the approved content once more: its approvals are gone.
    const other = await approvedReview(changed('other'));
    assert.equal((await apply(changed('other'))).status, 200);
    const replay = await apply(content);
    assert.equal(replay.status, 409, replay.text);
    assert.equal(errorOf(replay).code, 'policy_review_required');
    assert.equal(await reviewStatus(review.id), 'published');
    assert.equal(await reviewStatus(other.id), 'published');
  });

  it('concurrent applies of two approved changes: each version matches exactly one closed review; a refused one stays open', async () => {
    const contents = [changed('left'), changed('right')];
    const reviews = await Promise.all(contents.map(approvedReview));
    const before = await current();
    const answers = await Promise.all(contents.map(apply));
    let versions = 0;
    for (const [i, answer] of answers.entries()) {
      if (answer.status === 200) {
        versions += 1;
        assert.equal(await reviewStatus(reviews[i].id), 'published');
        assert.equal((await auditOf('review.policy_applied', reviews[i].id)).length, 1);
      } else {
        assert.equal(answer.status, 409, answer.text);
        assert.equal(errorOf(answer).code, 'policy_changed');
        assert.equal(await reviewStatus(reviews[i].id), 'open', 'a refused apply spends no approvals');
      }
    }
    assert.ok(versions >= 1);
    assert.equal((await current()).version, before.version + versions);
  });
});
