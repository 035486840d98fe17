import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PromptOpsApiError } from '../../../src/client/promptOpsApiError';
import { normalizeServerUrl, PromptOpsClient } from '../../../src/client/promptOpsClient';
import { queryString } from '../../../src/client/queryString';
import { credentialsPath, readCredentials, removeCredentials, writeCredentials } from '../../../src/cli/credentials';
import { hashPassword } from '../../../src/server/auth/passwordHashing';
import type { RunningServer } from '../../../src/server/startServer';
import { promptText, testUser } from '../../support/reviewFixtures';
import { sqliteBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, startTestServer } from '../../support/serverFixtures';
import { SOME_COMMIT } from '../../support/reviewServer';

describe('PromptOpsClient', () => {
  let backend: TestBackend;
  let server: RunningServer;

  before(async () => {
    backend = sqliteBackend();
    server = await startTestServer(backend);
    await server.store.createUser({
      id: 'cli-ed',
      username: 'ed',
      passwordHash: await hashPassword('ed-password-1'),
      role: 'editor',
      emails: [],
      defaultPassword: false,
      now: Date.now(),
    });
  });

  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  it('signs in, keeps the token, and calls typed routes', async () => {
    const client = new PromptOpsClient({ server: `${server.url}/` });
    const session = await client.login('ed', 'ed-password-1');
    assert.equal(client.currentToken, session.token);
    assert.equal((await client.me()).user?.username, 'ed');
    const review = await client.createReview({ path: 'prompts/a.prompt', content: promptText('A.'), note: 'n' });
    assert.equal((await client.getReview(review.id)).headHash, review.headHash);
    assert.deepEqual(
      (await client.listReviews({ author: 'ed', status: 'open' })).reviews.map((r) => r.id),
      [review.id],
    );
    assert.equal(await client.getPolicy(), undefined, 'no access file applied yet');
    assert.equal((await client.publicKey()).algorithm, 'Ed25519');
    await client.logout();
    assert.equal(client.currentToken, undefined);
  });

  it('turns every refusal into PromptOpsApiError with status, code, message and field', async () => {
    const viewer = await testUser(server, 'viewer');
    const client = new PromptOpsClient({ server: server.url, token: viewer.token });
    await assert.rejects(
      client.createReview({ path: 'prompts/b.prompt', content: promptText('B.') }),
      (err: unknown) => {
        assert.ok(err instanceof PromptOpsApiError);
        assert.deepEqual([err.status, err.code], [403, 'forbidden']);
        assert.match(err.message, /viewer/);
        return true;
      },
    );
    const admin = new PromptOpsClient({ server: server.url, token: STATIC_TOKEN });
    await assert.rejects(admin.applyPolicy('version: 2\n', SOME_COMMIT), (err: unknown) => {
      assert.ok(err instanceof PromptOpsApiError);
      assert.deepEqual([err.status, err.code, err.field], [422, 'invalid_access_file', 'content']);
      assert.ok(err.diagnostics && err.diagnostics.length > 0);
      return true;
    });
    await assert.rejects(
      new PromptOpsClient({ server: server.url }).me(),
      (err: unknown) => err instanceof PromptOpsApiError && err.status === 401 && err.code === 'unauthorized',
    );
  });

  it('reports an unreachable server as status 0, code network', async () => {
    const client = new PromptOpsClient({ server: 'http://127.0.0.1:9', timeoutMs: 2000 });
    await assert.rejects(
      client.health(),
      (err: unknown) =>
        err instanceof PromptOpsApiError &&
        err.status === 0 &&
        err.code === 'network' &&
        /127\.0\.0\.1:9/.test(err.message),
    );
  });

  it('normalizes server URLs and builds query strings', () => {
    assert.equal(normalizeServerUrl(' http://host:4700/ '), 'http://host:4700');
    assert.throws(() => normalizeServerUrl('ftp://x'), PromptOpsApiError);
    assert.throws(() => normalizeServerUrl('not a url'), PromptOpsApiError);
    assert.equal(queryString({ a: 'x y', b: undefined, c: true, d: 2 }), '?a=x+y&c=true&d=2');
    assert.equal(queryString({}), '');
  });
});

describe('CLI credentials file', () => {
  it('is written 0600 in a 0700 folder under XDG_CONFIG_HOME, read back, and removed', () => {
    const home = mkdtempSync(join(tmpdir(), 'promptops-xdg-'));
    const env = { XDG_CONFIG_HOME: home };
    try {
      assert.equal(credentialsPath(env), join(home, 'promptops', 'credentials.json'));
      assert.equal(readCredentials(env), undefined);
      writeCredentials({ server: 'http://h:1', token: 't', username: 'u' }, env);
      assert.equal(statSync(credentialsPath(env)).mode & 0o777, 0o600);
      assert.equal(statSync(join(home, 'promptops')).mode & 0o777, 0o700);
      assert.deepEqual(readCredentials(env), { server: 'http://h:1', token: 't', username: 'u' });
      removeCredentials(env);
      assert.equal(readCredentials(env), undefined);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
