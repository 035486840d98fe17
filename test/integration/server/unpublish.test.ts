import assert from 'node:assert/strict';
import { loadSigningKeys } from '../../../src/server/signing/serverSigningKey';
import { verifyUnpublishSignature, retires } from '../../../src/core/release/unpublishRecord';
import type { RunningServer } from '../../../src/server/startServer';
import type { ReleaseListResponse, SignedReleaseDto, UnpublishResponse } from '../../../src/shared/api/releases';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { accessFile, REPLY } from '../../support/gateRepo';
import { mustPost } from '../../support/reviewFixtures';
import { applyAccessFile } from '../../support/reviewServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { apiKeyFor, createUserDirect, sessionFor, startTestServer, uniqueName } from '../../support/serverFixtures';
import { errorOf, http } from '../../support/serverHttp';

/**
 * `POST /api/releases/unpublish` on a real server, on each store: it takes `prompt.publish`
 * where the release is placed, signs a record naming exactly the retired release, frees the
 * prompt's name in its env, is audited (refusals too), and a later publish is a new release.
 */
describeEachBackend('unpublish', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  const tokens: Record<'carol' | 'root' | 'ed' | 'vic', string> = { carol: '', root: '', ed: '', vic: '' };
  const ids: Record<string, string> = {};

  before(async () => {
    backend = makeBackend();
    server = await startTestServer(backend);
    await applyAccessFile(server, accessFile(undefined));
    for (const [name, role] of [
      ['carol', 'editor'],
      ['root', 'admin'],
      ['ed', 'editor'],
      ['vic', 'viewer'],
    ] as const) {
      ids[name] = await createUserDirect(server, role, name);
      tokens[name] = await sessionFor(server, ids[name]);
    }
  });
  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  /** Carol requests, root approves, carol publishes: the signed release. */
  async function publish(path: string, content: string): Promise<SignedReleaseDto> {
    const review = await mustPost<ReviewDto>(server, tokens.carol, '/api/reviews', { path, content });
    await mustPost(server, tokens.root, `/api/reviews/${review.id}/approve`, { headHash: review.headHash });
    const out = await mustPost<{ release: SignedReleaseDto }>(
      server,
      tokens.carol,
      `/api/reviews/${review.id}/publish`,
      {
        headHash: review.headHash,
      },
    );
    return out.release;
  }
  const unpublish = (token: string, body: unknown) =>
    http(server.url, { method: 'POST', path: '/api/releases/unpublish', token, body });

  it('refuses (and audits) everyone who may not publish there: viewer, editor without publish in prod, API key without the scope', async () => {
    const path = `prompts/support/${uniqueName('r')}.prompt`;
    await publish(path, REPLY);
    const scopeless = await apiKeyFor(server, ids.carol, ['prompt.read']);
    for (const [who, token, code] of [
      ['vic (viewer)', tokens.vic, 'forbidden'],
      ['ed (editor, no publish in prod)', tokens.ed, 'forbidden'],
      ['carol by an API key without prompt.publish', scopeless.token, undefined],
    ] as const) {
      const res = await unpublish(token, { path, env: 'prod' });
      assert.equal(res.status, 403, `${who}: ${JSON.stringify(res.json)}`);
      if (code) assert.equal(errorOf(res).code, code, who);
    }
    const refused = (await server.store.listAudit({ action: 'release.unpublish', outcome: 'refused', limit: 50 })).map(
      (a) => a.actor,
    );
    for (const actor of ['vic', 'ed', 'carol']) assert.ok(refused.includes(actor), `${actor}'s refusal is audited`);
    // Still published: the name is still taken.
    assert.deepEqual(
      (await server.store.publishedVersions(path)).map((v) => v.env),
      ['prod'],
    );
  });

  it('a publisher unpublishes: a signed record of exactly that release, audited, the name freed, a re-publish is newer', async () => {
    const name = uniqueName('n');
    const path = `prompts/support/${name}.prompt`;
    const first = await publish(path, REPLY);
    const other = `prompts/support/other/${name}.prompt`;
    // Same name and env from another path: taken while the first is published (a review of it is refused).
    const taken = await http(server.url, {
      method: 'POST',
      path: '/api/reviews',
      token: tokens.carol,
      body: { path: other, content: REPLY },
    });
    assert.equal(taken.status, 409);
    assert.equal(errorOf(taken).code, 'name_taken');

    const key = await apiKeyFor(server, ids.carol, ['prompt.publish']);
    const res = await unpublish(key.token, { path, env: 'prod' });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    const { record, alreadyUnpublished } = res.json as UnpublishResponse;
    assert.equal(alreadyUnpublished, false);
    assert.equal(record.unpublishedBy, 'carol');
    assert.ok(retires(record, first), 'the record names the release it retires, and is later');
    const keys = await loadSigningKeys(server.store);
    assert.equal(record.keyId, keys.current.keyId);
    assert.ok(verifyUnpublishSignature(record, keys.current.publicKey));
    const done = (await server.store.listAudit({ action: 'release.unpublish', outcome: 'done', limit: 50 })).find(
      (a) => (a.before as { path: string }).path === path,
    );
    assert.ok(done, 'the unpublish is audited');
    assert.equal(done.actor, 'carol');

    // The name is free now: the other path publishes it.
    const moved = await publish(other, REPLY);
    assert.equal(moved.name, name);
    assert.deepEqual(await server.store.publishedVersions(path), []);

    // Again: the same record, nothing new.
    const again = await unpublish(tokens.root, { path, env: 'prod' });
    assert.equal(again.status, 200);
    assert.deepEqual((again.json as UnpublishResponse).record, record);
    assert.equal((again.json as UnpublishResponse).alreadyUnpublished, true);

    // Nothing published there at all: 404.
    const none = await unpublish(tokens.root, { path: 'prompts/support/never.prompt', env: 'prod' });
    assert.equal(none.status, 404);
  });

  it('publishing the path again is a new release, newer than the record, which a second unpublish retires', async () => {
    const path = `prompts/support/${uniqueName('again')}.prompt`;
    await publish(path, REPLY);
    const { record } = (await unpublish(tokens.carol, { path, env: 'prod' })).json as UnpublishResponse;
    const second = await publish(path, REPLY.replace('briefly', 'very briefly'));
    assert.ok(Date.parse(second.publishedAt) > Date.parse(record.unpublishedAt));
    assert.deepEqual(
      (await server.store.publishedVersions(path)).map((v) => v.sha256),
      [second.sha256],
    );
    const next = (await unpublish(tokens.carol, { path, env: 'prod' })).json as UnpublishResponse;
    assert.equal(next.alreadyUnpublished, false);
    assert.equal(next.record.reviewId, second.reviewId);
    assert.ok(!retires(record, second), 'the old record does not retire the new release');
  });

  it('lists a path’s releases newest first, a page at a time: the cursor goes on where the page ended', async () => {
    const path = `prompts/support/${uniqueName('paged')}.prompt`;
    const published: SignedReleaseDto[] = [];
    for (const word of ['briefly', 'very briefly', 'most briefly'])
      published.push(await publish(path, REPLY.replace('briefly', word)));
    const list = async (query: string) => {
      const res = await http(server.url, {
        method: 'GET',
        path: `/api/releases?path=${path}&${query}`,
        token: tokens.vic,
      });
      assert.equal(res.status, 200);
      return res.json as ReleaseListResponse;
    };
    const first = await list('limit=2');
    assert.deepEqual(
      first.releases.map((r) => r.sha256),
      [published[2].sha256, published[1].sha256],
    );
    assert.ok(first.nextCursor);
    const second = await list(`limit=2&cursor=${first.nextCursor}`);
    assert.deepEqual(
      second.releases.map((r) => r.sha256),
      [published[0].sha256],
    );
    assert.equal(second.nextCursor, null);
    // A last page that is exactly full says so: no cursor to an empty page.
    const whole = await list('limit=3');
    assert.equal(whole.releases.length, 3);
    assert.equal(whole.nextCursor, null);
  });
});
