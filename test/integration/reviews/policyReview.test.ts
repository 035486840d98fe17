import assert from 'node:assert/strict';
import { ACCESS_FILE_PATH } from '../../../src/core/access/accessPolicy';
import { parsePolicyRecord, verifyPolicyRecordSignature } from '../../../src/core/release/policyLock';
import { importPublicKey } from '../../../src/core/release/signingKeys';
import type { RunningServer } from '../../../src/server/startServer';
import type { PublicKeyResponse } from '../../../src/shared/api/keys';
import type { ApplyPolicyResponse, PolicyDto } from '../../../src/shared/api/policy';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { mustPost, sha, testUser, type TestUser } from '../../support/reviewFixtures';
import { as } from '../../support/reviewServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, startTestServer } from '../../support/serverFixtures';
import { errorOf } from '../../support/serverHttp';

const COMMIT_1 = '1'.repeat(40);
const COMMIT_2 = '2'.repeat(40);
const REVIEWED = 'version: 1\npolicyApprovals: { required: 2 }\n';
const CHANGE = 'version: 1\npolicyApprovals: { required: 2 }\nprotected: ["prompts/shared/**"]\n';
const LOOSER = 'version: 1\n';

describeEachBackend(
  'policy under review: apply from a commit, signed records, approvals by other admins',
  (makeBackend) => {
    let backend: TestBackend;
    let server: RunningServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let editor: TestUser;
    let viewer: TestUser;

    const apply = (who: string, content: string, commit: string = COMMIT_1) =>
      as(server, who).put('/api/policy', { content, commit });
    const current = async () => (await as(server, STATIC_TOKEN).get('/api/policy')).json as PolicyDto;

    before(async () => {
      backend = makeBackend();
      server = await startTestServer(backend);
      [alice, bob, carol, editor, viewer] = await Promise.all([
        testUser(server, 'admin'),
        testUser(server, 'admin'),
        testUser(server, 'admin'),
        testUser(server, 'editor'),
        testUser(server, 'viewer'),
      ]);
    });

    after(async () => {
      await server?.close();
      await backend?.cleanup();
    });

    it('records the commit and signs a policy record the server key verifies (serial = version)', async () => {
      const res = await apply(alice.token, REVIEWED, COMMIT_1);
      assert.equal(res.status, 200, res.text);
      const { policy } = res.json as ApplyPolicyResponse;
      assert.equal(policy.commit, COMMIT_1);
      const record = parsePolicyRecord(policy.record!).record!;
      const key = (await as(server, viewer.token).get('/api/keys/public')).json as PublicKeyResponse;
      assert.ok(verifyPolicyRecordSignature(record, importPublicKey(key.pem)));
      assert.deepEqual(
        [record.serial, record.commit, record.contentHash, record.appliedBy, record.approvals],
        [policy.version, COMMIT_1, sha(REVIEWED), alice.username, []],
      );
      // Anyone signed in reads who applied which commit, and the record.
      const seen = (await as(server, viewer.token).get('/api/policy')).json as PolicyDto;
      assert.deepEqual([seen.commit, seen.record], [COMMIT_1, policy.record]);
    });

    it('refuses a non-admin apply and an apply without a commit (raw HTTP), applying nothing', async () => {
      const before = await current();
      for (const who of [editor, viewer]) {
        const res = await apply(who.token, CHANGE);
        assert.equal(res.status, 403, `${who.username}: ${res.text}`);
      }
      const noCommit = await as(server, alice.token).put('/api/policy', { content: CHANGE });
      assert.equal(noCommit.status, 422, noCommit.text);
      assert.equal(errorOf(noCommit).field, 'commit');
      const shortCommit = await apply(alice.token, CHANGE, 'abc123');
      assert.equal(shortCommit.status, 422, shortCommit.text);
      assert.equal((await current()).version, before.version);
    });

    it('under policyApprovals, an admin alone cannot apply a change: 409 until a review of that content has the approvals', async () => {
      const before = await current();
      const alone = await apply(alice.token, CHANGE, COMMIT_2);
      assert.equal(alone.status, 409, alone.text);
      assert.equal(errorOf(alone).code, 'policy_review_required');
      assert.match(errorOf(alone).message, /promptops review request \.promptops\/access\.yaml/);
      // The static token names nobody to hold to the review: refused too.
      const token = await apply(STATIC_TOKEN, CHANGE, COMMIT_2);
      assert.equal(token.status, 403, token.text);
      assert.equal((await current()).version, before.version);
    });

    it('only admins may propose a policy change (a protected file); an invalid access file is refused with its problems', async () => {
      const byEditor = await as(server, editor.token).post('/api/reviews', { path: ACCESS_FILE_PATH, content: CHANGE });
      assert.equal(byEditor.status, 403, byEditor.text);
      const broken = await as(server, alice.token).post('/api/reviews', {
        path: ACCESS_FILE_PATH,
        content: 'version: 1\nroles:\n  x: { extends: nobody }\n',
      });
      assert.equal(broken.status, 422, broken.text);
      assert.equal(errorOf(broken).code, 'invalid_access_file');
      const same = await as(server, alice.token).post('/api/reviews', { path: ACCESS_FILE_PATH, content: REVIEWED });
      assert.equal(same.status, 409, same.text);
      assert.equal(errorOf(same).code, 'unchanged_from_published');
    });

    it('self-approval and an editor approval do not count; two other admins do; the apply closes the review and names them', async () => {
      const review = await mustPost<ReviewDto>(server, alice.token, '/api/reviews', {
        path: ACCESS_FILE_PATH,
        content: CHANGE,
        gitCommit: COMMIT_2,
      });
      // The base shown is the version the server applied, not anything the requester sent.
      assert.equal(review.baseHash, sha(REVIEWED));
      const self = await as(server, alice.token).post(`/api/reviews/${review.id}/approve`, {
        headHash: review.headHash,
      });
      assert.equal(self.status, 403, self.text);
      const byEditor = await as(server, editor.token).post(`/api/reviews/${review.id}/approve`, {
        headHash: review.headHash,
      });
      // A policy review is for those who may apply policy: to an editor it does not exist.
      assert.equal(byEditor.status, 404, byEditor.text);

      await mustPost(server, bob.token, `/api/reviews/${review.id}/approve`, { headHash: review.headHash });
      const oneOfTwo = await apply(alice.token, CHANGE, COMMIT_2);
      assert.equal(oneOfTwo.status, 409, oneOfTwo.text);
      assert.equal(errorOf(oneOfTwo).code, 'approval_rule_unmet');
      assert.match(errorOf(oneOfTwo).message, /needs 2 approvals/);

      // Publishing is not how a policy change takes effect.
      await mustPost(server, carol.token, `/api/reviews/${review.id}/approve`, { headHash: review.headHash });
      const published = await as(server, alice.token).post(`/api/reviews/${review.id}/publish`, {
        headHash: review.headHash,
      });
      assert.equal(published.status, 409, published.text);
      assert.equal(errorOf(published).code, 'policy_review_required');

      const applied = await apply(alice.token, CHANGE, COMMIT_2);
      assert.equal(applied.status, 200, applied.text);
      const record = parsePolicyRecord((applied.json as ApplyPolicyResponse).policy.record!).record!;
      assert.deepEqual(record.approvals, [bob.username, carol.username].sort());
      assert.equal(record.commit, COMMIT_2);
      const closed = (await as(server, carol.token).get(`/api/reviews/${review.id}`)).json as ReviewDto;
      assert.equal(closed.status, 'published');
    });

    it('the bar is the file in force: a change that drops policyApprovals still needs its approvals, and old approvals cannot be replayed', async () => {
      const before = await current();
      const drop = await apply(bob.token, LOOSER, COMMIT_1);
      assert.equal(drop.status, 409, drop.text);
      // The content approved and applied before (a closed review) cannot be applied again on its approvals.
      const review = await mustPost<ReviewDto>(server, bob.token, '/api/reviews', {
        path: ACCESS_FILE_PATH,
        content: REVIEWED,
      });
      await mustPost(server, carol.token, `/api/reviews/${review.id}/approve`, { headHash: review.headHash });
      const half = await apply(bob.token, REVIEWED, COMMIT_1);
      assert.equal(half.status, 409, half.text);
      assert.equal((await current()).version, before.version);
    });

    it('a revision of a policy review dismisses its approvals: the new content needs them again', async () => {
      const first = 'version: 1\npolicyApprovals: { required: 2 }\nprotected: ["prompts/a/**"]\n';
      const second = 'version: 1\npolicyApprovals: { required: 2 }\nprotected: ["prompts/b/**"]\n';
      const review = await mustPost<ReviewDto>(server, carol.token, '/api/reviews', {
        path: ACCESS_FILE_PATH,
        content: first,
      });
      await mustPost(server, alice.token, `/api/reviews/${review.id}/approve`, { headHash: review.headHash });
      await mustPost(server, bob.token, `/api/reviews/${review.id}/approve`, { headHash: review.headHash });
      const revised = await mustPost<ReviewDto>(server, carol.token, `/api/reviews/${review.id}/revisions`, {
        content: second,
      });
      assert.equal(revised.baseHash, sha(CHANGE), 'the base is the version in force');
      const res = await apply(carol.token, second, COMMIT_2);
      assert.equal(res.status, 409, res.text);
      assert.equal(errorOf(res).code, 'approval_rule_unmet');
      const old = await apply(carol.token, first, COMMIT_2);
      assert.equal(
        errorOf(old).code,
        'policy_review_required',
        'the approved first revision is no longer under review',
      );
    });
  },
);
