import assert from 'node:assert/strict';
import type { RunningServer } from '../../../src/server/startServer';
import type { DirectoryResponse } from '../../../src/shared/api/directory';
import type { KeyChainResponse, PublicKeyResponse } from '../../../src/shared/api/keys';
import type { PublishReviewResponse } from '../../../src/shared/api/reviews';
import { approvedReview, mustPost, testUser } from '../../support/reviewFixtures';
import { as } from '../../support/reviewServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, startTestServer } from '../../support/serverFixtures';

/**
 * Two server processes on one database (one SQLite file, one PostgreSQL schema): after one
 * rotates the signing key, the other signs with the new key from its next request on,
 * without a restart, and may rotate again from it.
 */
describeEachBackend('server key rotation across server processes', (makeBackend) => {
  let backend: TestBackend;
  let a: RunningServer;
  let b: RunningServer;

  before(async () => {
    backend = makeBackend();
    a = await startTestServer(backend);
    b = await startTestServer(backend);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await backend?.cleanup();
  });

  const keyOf = async (server: RunningServer): Promise<string> => {
    const res = await as(server, STATIC_TOKEN).get('/api/keys/public');
    assert.equal(res.status, 200, res.text);
    return (res.json as PublicKeyResponse).keyId;
  };
  const rotate = (server: RunningServer) => as(server, STATIC_TOKEN).post('/api/keys/rotate');

  it('the other process signs releases and directories with the rotated key, and rotates on from it', async () => {
    const first = await keyOf(a);
    assert.equal(await keyOf(b), first, 'both loaded the one stored key');

    const rotated = await rotate(a);
    assert.equal(rotated.status, 200, rotated.text);
    const second = (rotated.json as KeyChainResponse).keyId;
    assert.notEqual(second, first);

    // b was started before the rotation: it answers with, and signs with, the new key.
    assert.equal(await keyOf(b), second);
    const chain = (await as(b, STATIC_TOKEN).get('/api/keys/chain')).json as KeyChainResponse;
    assert.deepEqual(
      chain.links.map((l) => [l.serial, l.keyId]),
      [[1, second]],
    );
    const { review } = await approvedReview(a);
    const publisher = await testUser(a, 'admin');
    const published = await mustPost<PublishReviewResponse>(b, publisher.token, `/api/reviews/${review.id}/publish`, {
      headHash: review.headHash,
    });
    assert.equal(published.release.keyId, second, 'the release is signed with the rotated key');
    const directory = (await as(b, STATIC_TOKEN).get('/api/directory')).json as DirectoryResponse;
    assert.equal(directory.directory.keyId, second, 'so is the user directory');

    // b rotates on from the newest key: no 409, no restart; a follows in turn.
    const again = await rotate(b);
    assert.equal(again.status, 200, again.text);
    const third = (again.json as KeyChainResponse).keyId;
    assert.deepEqual(
      (again.json as KeyChainResponse).links.map((l) => [l.serial, l.keyId]),
      [
        [1, second],
        [2, third],
      ],
    );
    assert.equal(await keyOf(a), third);
  });
});
