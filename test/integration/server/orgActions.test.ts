import assert from 'node:assert/strict';
import type { RunningServer } from '../../../src/server/startServer';
import type { ApiKeyListResponse } from '../../../src/shared/api/apiKeys';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { mustPost, promptText, testUser, type TestUser } from '../../support/reviewFixtures';
import { as, SOME_COMMIT } from '../../support/reviewServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, apiKeyFor, startTestServer, uniqueName } from '../../support/serverFixtures';
import { errorOf } from '../../support/serverHttp';

/**
 * Org-level rights are decided by decide() on an org action, which asks the org role alone:
 * an org editor bound as `admin` in a workspace is admin there, not in the org, and an
 * admin's API key acts only within its scope.
 */
describeEachBackend(
  'org actions: decided by the org role and the key scope, never a workspace binding',
  (makeBackend) => {
    let backend: TestBackend;
    let server: RunningServer;
    let admin: TestUser;
    let lead: TestUser;
    let ws: string;

    before(async function () {
      this.timeout(60_000);
      backend = makeBackend();
      server = await startTestServer(backend);
      admin = await testUser(server, 'admin');
      lead = await testUser(server, 'editor');
      ws = uniqueName('ws').toLowerCase();
      const content = `version: 1
environments: [dev, test, prod]
workspaces:
  ${ws}:
    paths: ["prompts/${ws}/**"]
    members: { ${lead.username}: admin }
`;
      const res = await as(server, STATIC_TOKEN).put('/api/policy', { content, commit: SOME_COMMIT });
      assert.equal(res.status, 200, res.text);
    });
    after(async () => {
      await server?.close();
      await backend?.cleanup();
    });

    /** An open review in the lead's workspace, by a fresh editor. */
    async function reviewInWorkspace(): Promise<ReviewDto> {
      const author = await testUser(server, 'editor');
      return mustPost<ReviewDto>(server, author.token, '/api/reviews', {
        path: `prompts/${ws}/${uniqueName('p')}.prompt`,
        content: promptText('Be brief.'),
      });
    }

    it('a workspace admin who is an org editor may not withdraw someone else’s review there', async () => {
      const review = await reviewInWorkspace();
      assert.equal(review.workspace, ws);
      const res = await as(server, lead.token).post(`/api/reviews/${review.id}/withdraw`, {});
      assert.equal(res.status, 403, res.text);
      assert.match(errorOf(res).message, /Only the author \(\S+\) or an admin may withdraw review/);
      assert.equal((await as(server, admin.token).post(`/api/reviews/${review.id}/withdraw`, {})).status, 200);
    });

    it('an org admin’s API key without user.manage may not withdraw someone else’s review', async () => {
      const review = await reviewInWorkspace();
      const key = await apiKeyFor(server, admin.id, ['prompt.read', 'review.request']);
      const res = await as(server, key.token).post(`/api/reviews/${review.id}/withdraw`, {});
      assert.equal(res.status, 403, res.text);
      const withIt = await apiKeyFor(server, admin.id, ['prompt.read', 'review.request', 'user.manage']);
      assert.equal((await as(server, withIt.token).post(`/api/reviews/${review.id}/withdraw`, {})).status, 200);
    });

    for (const path of ['/api/audit?limit=1', '/api/users', '/api/access-review']) {
      it(`a workspace admin who is an org editor is refused ${path.split('?')[0]}, with decide()'s reason`, async () => {
        const res = await as(server, lead.token).get(path);
        assert.equal(res.status, 403, res.text);
        assert.equal(errorOf(res).message, 'Managing users needs the `admin` role; you are `editor`.');
      });
    }

    it('a workspace admin who is an org editor may not delete a workspace or rotate the server key', async () => {
      assert.equal((await as(server, lead.token).del(`/api/workspaces/${ws}`)).status, 403);
      assert.equal((await as(server, lead.token).post('/api/keys/rotate', {})).status, 403);
    });

    it('an org admin’s key scoped to apikey.manage lists its creator’s keys only, not everyone’s', async () => {
      const other = await testUser(server, 'editor');
      const othersKey = await apiKeyFor(server, other.id, ['prompt.read']);
      const scoped = await apiKeyFor(server, admin.id, ['apikey.manage']);
      const listed = (await as(server, scoped.token).get('/api/api-keys')).json as ApiKeyListResponse;
      assert.ok(listed.keys.length > 0 && listed.keys.every((k) => k.createdBy === admin.username));
      const all = (await as(server, admin.token).get('/api/api-keys')).json as ApiKeyListResponse;
      assert.ok(
        all.keys.some((k) => k.id === othersKey.id),
        'the admin’s session sees everyone’s keys',
      );
    });
  },
);
