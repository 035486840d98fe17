import assert from 'node:assert/strict';
import { ACCESS_FILE_PATH } from '../../../src/core/access/accessPolicy';
import { ORG_REVIEW_WORKSPACE } from '../../../src/core/review/policyApproval';
import { parsePolicyRecord } from '../../../src/core/release/policyLock';
import type { RunningServer } from '../../../src/server/startServer';
import type { ApplyPolicyResponse } from '../../../src/shared/api/policy';
import type { ReviewDto, ReviewListResponse } from '../../../src/shared/api/reviews';
import { mustPost, testUser, type TestUser } from '../../support/reviewFixtures';
import { as, SOME_COMMIT } from '../../support/reviewServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, startTestServer, uniqueName } from '../../support/serverFixtures';

/**
 * sam edits in `support` only; wendy is `support`'s admin (a workspace role, which cannot
 * grant `policy.apply`); vic is an org viewer who reads every workspace. None may apply policy.
 */
function accessFile(sam: string, wendy: string, extra = ''): string {
  return `version: 1
environments: [dev, test, prod]
policyApprovals: { required: 1 }
roles:
  blind: { extends: viewer, deny: [prompt.read, prompt.run] }
workspaces:
  default:
    members: { ${sam}: blind, ${wendy}: blind }
  support:
    paths: ["prompts/support/**"]
    members: { ${sam}: editor, ${wendy}: admin }
${extra}`;
}

describeEachBackend(
  'a policy review is org-level: only those who may apply policy read or decide it',
  (makeBackend) => {
    let backend: TestBackend;
    let server: RunningServer;
    let alice: TestUser;
    let bob: TestUser;
    let outsiders: TestUser[];
    let review: ReviewDto;
    let change: string;

    before(async () => {
      backend = makeBackend();
      server = await startTestServer(backend);
      const [sam, wendy] = [uniqueName('sam'), uniqueName('wendy')];
      [alice, bob] = await Promise.all([testUser(server, 'admin'), testUser(server, 'admin')]);
      outsiders = await Promise.all([
        testUser(server, 'editor', sam),
        testUser(server, 'editor', wendy),
        testUser(server, 'viewer'),
      ]);
      const first = await as(server, STATIC_TOKEN).put('/api/policy', {
        content: accessFile(sam, wendy),
        commit: SOME_COMMIT,
      });
      assert.equal(first.status, 200, first.text);
      change = accessFile(sam, wendy, 'protected: ["prompts/shared/**"]\n');
      review = await mustPost<ReviewDto>(server, alice.token, '/api/reviews', {
        path: ACCESS_FILE_PATH,
        content: change,
      });
    });

    after(async () => {
      await server?.close();
      await backend?.cleanup();
    });

    const openIds = async (token: string) =>
      ((await as(server, token).get('/api/reviews?status=open')).json as ReviewListResponse).reviews.map((r) => r.id);

    it('is filed at the org level, not in a workspace', () => {
      assert.equal(review.workspace, ORG_REVIEW_WORKSPACE);
    });

    it('admins and the static token read it and list it', async () => {
      for (const token of [alice.token, bob.token, STATIC_TOKEN]) {
        const res = await as(server, token).get(`/api/reviews/${review.id}`);
        assert.equal(res.status, 200, res.text);
        assert.ok((await openIds(token)).includes(review.id));
      }
    });

    it('a workspace member, a workspace admin and an org viewer who may not apply policy: 404 to read, list, comment, approve or request changes (raw HTTP)', async () => {
      for (const who of outsiders) {
        const read = await as(server, who.token).get(`/api/reviews/${review.id}`);
        assert.equal(read.status, 404, `${who.username} read: ${read.text}`);
        assert.ok(!(await openIds(who.token)).includes(review.id), `${who.username} lists it`);
        const needs = (await as(server, who.token).get('/api/reviews?needsMyApproval=true')).json as ReviewListResponse;
        assert.ok(!needs.reviews.some((r) => r.id === review.id));
        for (const [path, body] of [
          ['comments', { body: 'looks fine' }],
          ['approve', { headHash: review.headHash }],
          ['request-changes', { headHash: review.headHash, note: 'no' }],
        ] as const) {
          const res = await as(server, who.token).post(`/api/reviews/${review.id}/${path}`, body);
          assert.equal(res.status, 404, `${who.username} ${path}: ${res.text}`);
        }
      }
      const state = (await as(server, alice.token).get(`/api/reviews/${review.id}`)).json as ReviewDto;
      assert.equal(state.status, 'open');
      assert.equal(state.revision, review.revision);
    });

    it("another admin's approval is what applies it", async () => {
      await mustPost(server, bob.token, `/api/reviews/${review.id}/approve`, { headHash: review.headHash });
      const applied = await as(server, alice.token).put('/api/policy', { content: change, commit: SOME_COMMIT });
      assert.equal(applied.status, 200, applied.text);
      const record = parsePolicyRecord((applied.json as ApplyPolicyResponse).policy.record!).record!;
      assert.deepEqual(record.approvals, [bob.username]);
    });
  },
);
