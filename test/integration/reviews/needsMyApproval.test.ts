import assert from 'node:assert/strict';
import { ACCESS_FILE_PATH } from '../../../src/core/access/accessPolicy';
import type { RunningServer } from '../../../src/server/startServer';
import type { ReviewDto, ReviewListResponse } from '../../../src/shared/api/reviews';
import { mustPost, promptText, sha, testUser, type TestUser } from '../../support/reviewFixtures';
import { applyAccessFile, as, PROMPTLAYER_ACCESS } from '../../support/reviewServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { startTestServer } from '../../support/serverFixtures';

/**
 * "Needs my approval" is exactly the open reviews whose own page says the caller may
 * approve, however many other reviews there are and however it is paged. PromptLayer's
 * access file: erin drafts, rita reviews, paul and pia publish in `support`; dan is an
 * org editor; ada and abe are admins.
 */
describeEachBackend('needs my approval', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  let erin: TestUser, rita: TestUser, paul: TestUser, pia: TestUser, dan: TestUser, ada: TestUser, abe: TestUser;
  let n = 0;

  const request = (who: TestUser, path: string, env: string): Promise<ReviewDto> =>
    mustPost<ReviewDto>(server, who.token, '/api/reviews', {
      path,
      content: promptText(`Version ${++n}.`, { env }),
    });
  const approve = (who: TestUser, r: ReviewDto): Promise<ReviewDto> =>
    mustPost<ReviewDto>(server, who.token, `/api/reviews/${r.id}/approve`, { headHash: r.headHash });

  /** Every page of `needsMyApproval=true` (with `extra` filters), following nextCursor. */
  async function needsApproval(who: TestUser, limit: number, extra = ''): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1000; pages++) {
      const query: string = `needsMyApproval=true&limit=${limit}${extra}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await as(server, who.token).get(`/api/reviews?${query}`);
      assert.equal(res.status, 200, res.text);
      const page = res.json as ReviewListResponse;
      ids.push(...page.reviews.map((r) => r.id));
      if (page.nextCursor === null) return ids;
      cursor = page.nextCursor;
    }
    throw new Error('more than 1000 pages');
  }

  /** The open reviews whose own page lets `who` approve, newest first. */
  async function approvableByReviewPage(who: TestUser): Promise<string[]> {
    const open = (await as(server, ada.token).get('/api/reviews?status=open&limit=200')).json as ReviewListResponse;
    const ids: string[] = [];
    for (const r of open.reviews) {
      const res = await as(server, who.token).get(`/api/reviews/${r.id}`);
      // A review `who` may not read (404: e.g. a policy review, for those who may not apply policy) is not theirs to approve.
      if (res.status === 404) continue;
      if ((res.json as ReviewDto).permissions.approve.allowed) ids.push(r.id);
    }
    return ids;
  }

  before(async () => {
    backend = makeBackend();
    server = await startTestServer(backend);
    await applyAccessFile(server, PROMPTLAYER_ACCESS);
    erin = await testUser(server, 'viewer', 'erin');
    rita = await testUser(server, 'viewer', 'rita');
    paul = await testUser(server, 'viewer', 'paul');
    pia = await testUser(server, 'viewer', 'pia');
    dan = await testUser(server, 'editor', 'dan');
    ada = await testUser(server, 'admin', 'ada');
    abe = await testUser(server, 'admin', 'abe');

    await request(erin, 'prompts/support/a.prompt', 'dev');
    await request(paul, 'prompts/support/b.prompt', 'prod');
    await request(dan, 'prompts/misc/c.prompt', 'dev');
    await request(dan, 'prompts/misc/d.prompt', 'prod');
    // Approved by rita at its head: no longer hers to approve.
    await approve(rita, await request(pia, 'prompts/support/e.prompt', 'dev'));
    // Approved by rita, then revised: the new head needs her again.
    const revised = await request(erin, 'prompts/support/f.prompt', 'dev');
    await approve(rita, revised);
    await mustPost(server, erin.token, `/api/reviews/${revised.id}/revisions`, {
      content: promptText('Revised.', { env: 'dev' }),
    });
    // Changes requested by rita: she may still approve.
    const sentBack = await request(erin, 'prompts/support/g.prompt', 'dev');
    await mustPost(server, rita.token, `/api/reviews/${sentBack.id}/request-changes`, {
      headHash: sentBack.headHash,
      note: 'shorter',
    });
    // Approved by paul, then changes requested by paul: his newest verdict stands.
    const changedMind = await request(erin, 'prompts/support/h.prompt', 'dev');
    await approve(paul, changedMind);
    await mustPost(server, paul.token, `/api/reviews/${changedMind.id}/request-changes`, {
      headHash: changedMind.headHash,
      note: 'on second thought',
    });
    // Withdrawn: nobody's to approve.
    const withdrawn = await request(erin, 'prompts/support/i.prompt', 'dev');
    await mustPost(server, erin.token, `/api/reviews/${withdrawn.id}/withdraw`, {});
    // A change to the access file: for the other admins.
    await mustPost(server, ada.token, '/api/reviews', {
      path: ACCESS_FILE_PATH,
      content: `${PROMPTLAYER_ACCESS}# reviewed\n`,
    });
  });

  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  it("lists exactly the open reviews each caller's review page lets them approve, on every page size", async () => {
    for (const who of [erin, rita, paul, pia, dan, ada, abe]) {
      const expected = await approvableByReviewPage(who);
      for (const limit of [1, 2, 50]) {
        assert.deepEqual(await needsApproval(who, limit), expected, `${who.username}, limit ${limit}`);
      }
    }
    // Spot checks of the rules the set above follows.
    assert.deepEqual(await needsApproval(erin, 50), [], 'a drafter approves nothing');
    const forAbe = await needsApproval(abe, 50);
    const forAda = await needsApproval(ada, 50);
    assert.equal(forAbe.length, forAda.length + 1, 'the access-file change is for abe, not its author ada');
  });

  it('keeps the other filters: workspace and env narrow the list', async () => {
    const all = await needsApproval(ada, 50);
    const prod = await needsApproval(ada, 50, '&env=prod');
    const support = await needsApproval(ada, 50, '&workspace=support');
    assert.ok(prod.length > 0 && prod.length < all.length, `${prod.length} of ${all.length}`);
    assert.ok(support.length > 0 && support.length < all.length, `${support.length} of ${all.length}`);
    assert.deepEqual(
      prod,
      all.filter((id) => prod.includes(id)),
    );
  });

  it('finds a review behind 2,100 newer open reviews the caller may not approve (no scan limit)', async function () {
    this.timeout(120_000);
    const waiting = await request(erin, 'prompts/support/old.prompt', 'dev');
    // Straight in the store (as the API would write them), fast: open reviews in `default`, where rita approves nothing.
    for (let i = 0; i < 2100; i++) {
      const content = promptText(`Filler ${i}.`);
      await server.store.createReview(
        {
          path: `prompts/misc/filler${i}.prompt`,
          name: `filler${i}`,
          workspace: 'default',
          env: 'dev',
          promptWorkspace: null,
          promptEnv: null,
          authorId: dan.id,
          author: dan.username,
          note: '',
          baseHash: null,
          baseContent: null,
          headHash: sha(content),
          reviewedHash: sha(content),
          content,
          dataset: null,
          gitBranch: null,
          gitCommit: null,
          createdAt: Date.now(),
        },
        (id) => ({
          actor: dan.username,
          actorRole: 'editor',
          address: null,
          at: Date.now(),
          action: 'review.create',
          targetType: 'review',
          targetId: id,
          before: null,
          after: null,
        }),
      );
    }
    const forRita = await needsApproval(rita, 50);
    assert.equal(forRita[0], waiting.id);
    const full = (await as(server, rita.token).get(`/api/reviews/${waiting.id}`)).json as ReviewDto;
    assert.equal(full.permissions.approve.allowed, true);
  });
});
