import assert from 'node:assert/strict';
import type { RunningServer } from '../../../src/server/startServer';
import type { AuditListResponse } from '../../../src/shared/api/audit';
import type { ReviewDto, ReviewListResponse } from '../../../src/shared/api/reviews';
import { promptText, testUser, type TestUser } from '../../support/reviewFixtures';
import { applyAccessFile, as, PROMPTLAYER_ACCESS } from '../../support/reviewServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { apiKeyFor, STATIC_TOKEN, startTestServer } from '../../support/serverFixtures';
import { errorOf, http } from '../../support/serverHttp';

const COMMIT = 'c0ffee0000000000000000000000000000000001';
const MERGED = 'c0ffee0000000000000000000000000000000002';

/**
 * "Published — waiting for merge": a publisher reports where the publish's commit went
 * (the release branch, or a branch of its own when the release branch is protected), and
 * every caller sees it until a publisher reports it on the release branch. Nobody who may
 * not publish the prompt there may flip it, whichever way they ask.
 */
describeEachBackend('publish delivery (waiting for merge)', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  let erin: TestUser, rita: TestUser, paul: TestUser, pia: TestUser, dan: TestUser, vic: TestUser;
  let published: ReviewDto;
  const path = 'prompts/support/delivery.prompt';
  const waiting = { state: 'awaiting-merge', target: 'main', branch: 'promptops/publish-1', commit: COMMIT };
  const onMain = { state: 'release-branch', target: 'main', branch: 'main', commit: MERGED };
  const deliveryOf = async (id: string) =>
    ((await as(server, paul.token).get(`/api/reviews/${id}`)).json as ReviewDto).delivery;

  before(async () => {
    backend = makeBackend();
    server = await startTestServer(backend);
    await applyAccessFile(server, PROMPTLAYER_ACCESS);
    erin = await testUser(server, 'viewer', 'erin');
    rita = await testUser(server, 'viewer', 'rita');
    paul = await testUser(server, 'viewer', 'paul');
    pia = await testUser(server, 'viewer', 'pia');
    dan = await testUser(server, 'editor', 'dan');
    vic = await testUser(server, 'viewer', 'vic');
    const created = (
      await as(server, erin.token).post('/api/reviews', {
        path,
        content: promptText('You deliver.', { env: 'dev' }),
      })
    ).json as ReviewDto;
    await as(server, rita.token).post(`/api/reviews/${created.id}/approve`, { headHash: created.headHash });
    const res = await as(server, paul.token).post(`/api/reviews/${created.id}/publish`, { headHash: created.headHash });
    assert.equal(res.status, 200, res.text);
    published = (res.json as { review: ReviewDto }).review;
    assert.equal(published.delivery, null, 'nothing reported yet');
  });

  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  it('a publisher reports the commit waiting on its own branch: the review, its list and the filter show it', async () => {
    const res = await as(server, paul.token).post(`/api/reviews/${published.id}/delivery`, waiting);
    assert.equal(res.status, 200, res.text);
    const review = res.json as ReviewDto;
    assert.equal(review.status, 'published');
    assert.deepEqual({ ...review.delivery, at: undefined }, { ...waiting, by: 'paul', at: undefined });
    // Another caller (the drafter) sees the same.
    const seen = (await as(server, erin.token).get(`/api/reviews/${published.id}`)).json as ReviewDto;
    assert.equal(seen.delivery?.state, 'awaiting-merge');
    const list = (await as(server, erin.token).get('/api/reviews?awaitingMerge=true')).json as ReviewListResponse;
    assert.deepEqual(
      list.reviews.map((r) => [r.id, r.delivery?.branch]),
      [[published.id, 'promptops/publish-1']],
    );
  });

  it('refuses everyone who may not publish the prompt there, and changes nothing', async () => {
    const before = await deliveryOf(published.id);
    const readOnlyKey = await apiKeyFor(server, paul.id, ['prompt.read']);
    const refusals: [string, string | undefined, number][] = [
      ['erin (drafter, the author)', erin.token, 403],
      ['rita (reviewer, approved it)', rita.token, 403],
      ['vic (org viewer, no binding)', vic.token, 403],
      ["paul's key without prompt.publish", readOnlyKey.token, 403],
      ['the static token (not a user)', STATIC_TOKEN, 403],
      ['nobody signed in', undefined, 401],
    ];
    for (const [who, token, status] of refusals) {
      const res = await http(server.url, {
        method: 'POST',
        path: `/api/reviews/${published.id}/delivery`,
        token,
        body: onMain,
      });
      assert.equal(res.status, status, `${who}: ${res.text}`);
    }
    assert.deepEqual(await deliveryOf(published.id), before, 'still waiting for the merge');
    const audit = (await as(server, STATIC_TOKEN).get('/api/audit?action=release.delivery&limit=50'))
      .json as AuditListResponse;
    assert.ok(
      audit.entries.some((e) => e.actor === 'erin' && e.outcome === 'refused'),
      'refusals are audited',
    );
  });

  it('in prod, where only publishers publish, an org editor who may publish in dev is refused too', async () => {
    const prodPath = 'prompts/support/delivery-prod.prompt';
    const created = (
      await as(server, paul.token).post('/api/reviews', {
        path: prodPath,
        content: promptText('You deliver in prod.', { env: 'prod' }),
      })
    ).json as ReviewDto;
    for (const who of [rita, pia])
      await as(server, who.token).post(`/api/reviews/${created.id}/approve`, { headHash: created.headHash });
    const pub = await as(server, pia.token).post(`/api/reviews/${created.id}/publish`, { headHash: created.headHash });
    assert.equal(pub.status, 200, pub.text);
    const prodWaiting = { ...waiting, branch: `promptops/publish-${created.id}` };
    assert.equal((await as(server, pia.token).post(`/api/reviews/${created.id}/delivery`, prodWaiting)).status, 200);
    const dans = await as(server, dan.token).post(`/api/reviews/${created.id}/delivery`, onMain);
    assert.equal(dans.status, 403, dans.text);
    // Under this access file an org editor may publish in dev, so there he may report too.
    assert.equal((await deliveryOf(created.id))?.state, 'awaiting-merge');
  });

  it('refuses bad input: an open review, a branch that is not the target, a malformed commit or branch', async () => {
    const open = (
      await as(server, erin.token).post('/api/reviews', {
        path: 'prompts/support/still-open.prompt',
        content: promptText('Not yet.', { env: 'dev' }),
      })
    ).json as ReviewDto;
    const notPublished = await as(server, paul.token).post(`/api/reviews/${open.id}/delivery`, waiting);
    assert.equal(notPublished.status, 409);
    assert.equal(errorOf(notPublished).code, 'not_published');
    for (const [body, field] of [
      [{ ...onMain, branch: 'other' }, 'branch'],
      [{ ...waiting, commit: 'abc' }, 'commit'],
      [{ ...waiting, branch: '../../etc' }, 'branch'],
      [{ ...waiting, target: '-f' }, 'target'],
      [{ ...waiting, state: 'merged' }, 'state'],
    ] as const) {
      const res = await as(server, paul.token).post(`/api/reviews/${published.id}/delivery`, body);
      assert.equal(res.status, 422, `${JSON.stringify(body)}: ${res.text}`);
      assert.match(`${errorOf(res).field} ${errorOf(res).message}`, new RegExp(field));
    }
  });

  it('another publisher reports it merged: no longer waiting, and it never goes back to waiting', async () => {
    const res = await as(server, pia.token).post(`/api/reviews/${published.id}/delivery`, onMain);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual({ ...(await deliveryOf(published.id)), at: undefined }, { ...onMain, by: 'pia', at: undefined });
    const list = (await as(server, paul.token).get('/api/reviews?awaitingMerge=true')).json as ReviewListResponse;
    assert.ok(!list.reviews.some((r) => r.id === published.id));
    const back = await as(server, paul.token).post(`/api/reviews/${published.id}/delivery`, waiting);
    assert.equal(back.status, 409);
    assert.equal(errorOf(back).code, 'already_on_release_branch');
    assert.equal((await deliveryOf(published.id))?.state, 'release-branch');
  });
});
