import assert from 'node:assert/strict';
import type { RunningServer } from '../../../src/server/startServer';
import type { ReviewDto, ReviewListResponse } from '../../../src/shared/api/reviews';
import { mustPost, promptText, sha, testUser, type TestUser } from '../../support/reviewFixtures';
import { applyAccessFile, as, PROMPTLAYER_ACCESS } from '../../support/reviewServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { startTestServer } from '../../support/serverFixtures';
import { errorOf } from '../../support/serverHttp';

/**
 * "Changes against the published version" compares with the server's own latest release
 * of the path in that env, never with a base the requester sends (issue 12, fake diffs).
 */
describeEachBackend('the published base of a review', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  let erin: TestUser, rita: TestUser, paul: TestUser;
  const publishedPath = 'prompts/support/refund.prompt';
  const newPath = 'prompts/support/greeting.prompt';
  const v1 = promptText('You handle refunds politely. Never promise a date.', { env: 'dev' });
  const v2 = promptText('You handle refunds politely. Promise a refund within a day.', { env: 'dev' });
  // What a hostile requester would like the reviewer to believe the change is: a temperature tweak.
  const harmlessLooking = v2.replace('temperature: 0.2', 'temperature: 0.3');

  before(async () => {
    backend = makeBackend();
    server = await startTestServer(backend);
    await applyAccessFile(server, PROMPTLAYER_ACCESS);
    erin = await testUser(server, 'viewer', 'erin');
    rita = await testUser(server, 'viewer', 'rita');
    paul = await testUser(server, 'viewer', 'paul');
    // v1 is published in support/dev.
    const first = await mustPost<ReviewDto>(server, erin.token, '/api/reviews', { path: publishedPath, content: v1 });
    await mustPost(server, rita.token, `/api/reviews/${first.id}/approve`, { headHash: first.headHash });
    await mustPost(server, paul.token, `/api/reviews/${first.id}/publish`, { headHash: first.headHash });
  });

  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  const seenByReviewer = async (id: string): Promise<ReviewDto> =>
    (await as(server, rita.token).get(`/api/reviews/${id}`)).json as ReviewDto;
  const request = async (path: string, content: string, extra: object = {}): Promise<ReviewDto> =>
    mustPost<ReviewDto>(server, erin.token, '/api/reviews', { path, content, ...extra });

  it('refuses a base sent by the requester, so it never reaches a reviewer', async () => {
    for (const path of [publishedPath, newPath]) {
      for (const [field, value] of [
        ['baseContent', harmlessLooking],
        ['baseHash', sha(harmlessLooking)],
      ]) {
        const forged = await as(server, erin.token).post('/api/reviews', { path, content: v2, [field]: value });
        assert.equal(forged.status, 422, forged.text);
        assert.deepEqual([errorOf(forged).code, errorOf(forged).field], ['validation_failed', field]);
      }
      const list = (await as(server, rita.token).get(`/api/reviews?status=open&path=${encodeURIComponent(path)}`))
        .json as ReviewListResponse;
      assert.deepEqual(list.reviews, [], 'a refused request leaves no review behind');
    }
  });

  it('shows no base while nothing is published in that env', async () => {
    const seen = await seenByReviewer((await request(newPath, v2)).id);
    assert.deepEqual([seen.baseHash, seen.baseContent], [null, null]);
  });

  it('shows the reviewer the published version as the base, and the requester’s commit only as a pointer', async () => {
    const seen = await seenByReviewer((await request(publishedPath, v2, { gitCommit: 'abc1234' })).id);
    assert.equal(seen.baseHash, sha(v1));
    assert.equal(seen.baseContent, v1, 'the instructions change shows against what is published');
    assert.equal(seen.gitCommit, 'abc1234');
  });

  it('refuses content identical to the published version, as a request and as a revision', async () => {
    const same = await as(server, erin.token).post('/api/reviews', { path: publishedPath, content: v1 });
    assert.equal(same.status, 409, same.text);
    assert.equal(errorOf(same).code, 'unchanged_from_published');
    assert.match(errorOf(same).message, /identical to its published version in dev; there is nothing to review/);

    const open = await request(publishedPath, v2);
    const revision = await as(server, erin.token).post(`/api/reviews/${open.id}/revisions`, { content: v1 });
    assert.equal(revision.status, 409, revision.text);
    assert.equal(errorOf(revision).code, 'unchanged_from_published');
    const after = await seenByReviewer(open.id);
    assert.deepEqual([after.revision, after.headHash], [1, sha(v2)], 'the refused revision changed nothing');
  });

  it('accepts a real change as a revision, still compared with the published version', async () => {
    const open = await request(publishedPath, v2);
    const v3 = v2.replace('within a day', 'within two days');
    const revision = await as(server, erin.token).post(`/api/reviews/${open.id}/revisions`, { content: v3 });
    assert.equal(revision.status, 200, revision.text);
    const seen = await seenByReviewer(open.id);
    assert.deepEqual([seen.revision, seen.headHash, seen.baseHash, seen.baseContent], [2, sha(v3), sha(v1), v1]);
  });
});
