import assert from 'node:assert/strict';
import type { RunningServer } from '../../../src/server/startServer';
import type { PublishReviewResponse, ReviewDto } from '../../../src/shared/api/reviews';
import { mustPost, promptText, testUser, type TestUser } from '../../support/reviewFixtures';
import { applyAccessFile, as, PROMPTLAYER_ACCESS } from '../../support/reviewServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { startTestServer } from '../../support/serverFixtures';
import { errorOf, type HttpResult } from '../../support/serverHttp';

/**
 * A prompt's name is unique per env: the loader finds a prompt by name and env, so the
 * server refuses a review or publish whose name and env are published from another path
 * (issue 11, item 7).
 */
describeEachBackend('prompt names unique per env', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  let erin: TestUser, rita: TestUser, paul: TestUser, pia: TestUser;
  const first = 'prompts/support/a/triage.prompt';
  const second = 'prompts/support/b/triage.prompt';
  const dev = (body: string): string => promptText(body, { env: 'dev' });

  before(async () => {
    backend = makeBackend();
    server = await startTestServer(backend);
    await applyAccessFile(server, PROMPTLAYER_ACCESS);
    erin = await testUser(server, 'viewer', 'erin');
    rita = await testUser(server, 'viewer', 'rita');
    paul = await testUser(server, 'viewer', 'paul');
    pia = await testUser(server, 'viewer', 'pia');
  });

  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  const request = (path: string, content: string, by = erin) =>
    as(server, by.token).post('/api/reviews', { path, content });
  const approve = (review: ReviewDto, by = rita): Promise<ReviewDto> =>
    mustPost<ReviewDto>(server, by.token, `/api/reviews/${review.id}/approve`, { headHash: review.headHash });
  const publish = (review: ReviewDto) =>
    as(server, paul.token).post(`/api/reviews/${review.id}/publish`, { headHash: review.headHash });
  const published = async (review: ReviewDto): Promise<PublishReviewResponse> => {
    const res = await publish(review);
    assert.equal(res.status, 200, res.text);
    return res.json as PublishReviewResponse;
  };
  const refusedAsTaken = (res: HttpResult, env: string): void => {
    assert.equal(res.status, 409, res.text);
    const error = errorOf(res);
    assert.equal(error.code, 'name_taken');
    assert.equal(
      error.message,
      `"triage" is already published in ${env} from ${first}; rename this prompt or unpublish that one.`,
    );
  };

  it('refuses a publish from a second path when the first was published after its review was requested', async () => {
    const a = (await request(first, dev('Sort tickets by urgency.'))).json as ReviewDto;
    const bRes = await request(second, dev('Sort tickets by customer value.'));
    assert.equal(bRes.status, 201, 'nothing is published under the name yet');
    const b = bRes.json as ReviewDto;
    await approve(b);
    await published(await approve(a));

    refusedAsTaken(await publish(b), 'dev');
    const still = (await as(server, rita.token).get(`/api/reviews/${b.id}`)).json as ReviewDto;
    assert.equal(still.status, 'open', 'a refused publish writes nothing');
  });

  it('refuses a review request from a second path with the same name and env', async () => {
    refusedAsTaken(await request(second, dev('Sort tickets by anything else.')), 'dev');
  });

  it('allows the same path again: a new version', async () => {
    const next = await request(first, dev('Sort tickets by urgency, then age.'));
    assert.equal(next.status, 201, next.text);
    await published(await approve(next.json as ReviewDto));
  });

  it('allows the same name in another env', async () => {
    const prod = await request(second, promptText('Sort tickets by urgency.', { env: 'prod' }), paul);
    assert.equal(prod.status, 201, prod.text);
    const review = prod.json as ReviewDto;
    await approve(review, rita);
    const done = await published(await approve(review, pia));
    assert.deepEqual([done.release.path, done.release.env, done.release.name], [second, 'prod', 'triage']);
  });

  it('two publishes of one name and env from two paths at the same moment: exactly one wins, the other is refused as taken', async () => {
    const paths = ['prompts/support/x/race.prompt', 'prompts/support/y/race.prompt'];
    const reviews: ReviewDto[] = [];
    for (const path of paths) {
      const res = await request(path, promptText(`Answer ${path}.`, { env: 'dev', name: 'race' }));
      assert.equal(res.status, 201, res.text);
      reviews.push(await approve(res.json as ReviewDto));
    }
    // Both requests read the name as free before either transaction (the worst interleaving,
    // made certain: each route's lookup waits for the other's), so only the database's
    // unique index can refuse the second.
    const store = server.store;
    const lookup = store.publishedUnderName.bind(store);
    const arrived: (() => void)[] = [];
    store.publishedUnderName = async (name) => {
      const found = await lookup(name);
      if (arrived.length < 2)
        await new Promise<void>((res) => {
          arrived.push(res);
          if (arrived.length === 2) arrived.forEach((go) => go());
        });
      return found;
    };
    let results: HttpResult[];
    try {
      results = await Promise.all(reviews.map((r) => publish(r)));
    } finally {
      store.publishedUnderName = lookup;
    }
    assert.equal(arrived.length, 2, 'both looked the name up first');
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status !== 200);
    assert.equal(won.length, 1, results.map((r) => r.text).join('\n'));
    const winner = (won[0].json as PublishReviewResponse).release.path;
    assert.equal(lost[0].status, 409, lost[0].text);
    assert.equal(errorOf(lost[0]).code, 'name_taken');
    assert.equal(
      errorOf(lost[0]).message,
      `"race" is already published in dev from ${winner}; rename this prompt or unpublish that one.`,
    );
    assert.deepEqual(await store.publishedUnderName('race'), [{ path: winner, env: 'dev' }], 'one path holds the name');
    const loser = reviews[results.indexOf(lost[0])];
    const still = (await as(server, rita.token).get(`/api/reviews/${loser.id}`)).json as ReviewDto;
    assert.equal(still.status, 'open', 'the refused publish wrote nothing');
  });

  it('frees the name once its path publishes under another name', async () => {
    const renamed = (await request(first, promptText('Sort tickets by urgency.', { env: 'dev', name: 'sorter' })))
      .json as ReviewDto;
    await published(await approve(renamed));
    const reused = await request(second, dev('Sort tickets by customer value.'));
    assert.equal(reused.status, 201, reused.text);
  });
});
