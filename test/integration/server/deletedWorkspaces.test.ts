import assert from 'node:assert/strict';
import type { RunningServer } from '../../../src/server/startServer';
import type { AuditListResponse } from '../../../src/shared/api/audit';
import type { ApplyPolicyResponse } from '../../../src/shared/api/policy';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import type { CreateWorkspaceResponse, WorkspaceListResponse } from '../../../src/shared/api/workspaces';
import { mustPost, promptText, testUser, type TestUser } from '../../support/reviewFixtures';
import { as, SOME_COMMIT } from '../../support/reviewServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, apiKeyFor, startTestServer, uniqueName } from '../../support/serverFixtures';
import { errorOf } from '../../support/serverHttp';

/**
 * `member` is bound only in `ws`; in `default` a role that may not read holds them, so a
 * prompt that falls to `default` is one they cannot see (a 404, not a 403: read isolation).
 */
function accessFile(ws: string, member: string, marker = uniqueName('v')): string {
  return `# ${marker}
version: 1
environments: [dev, test, prod]
roles:
  blind: { extends: viewer, deny: [prompt.read, prompt.run] }
workspaces:
  default:
    members: { ${member}: blind }
  ${ws}:
    paths: ["prompts/${ws}/**"]
    members: { ${member}: editor }
`;
}

describeEachBackend('a workspace deleted through the API stays deleted (tombstone)', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  let admin: TestUser;

  before(async function () {
    this.timeout(60_000);
    backend = makeBackend();
    server = await startTestServer(backend);
    admin = await testUser(server, 'admin');
  });
  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  async function apply(content: string): Promise<ApplyPolicyResponse> {
    const res = await as(server, STATIC_TOKEN).put('/api/policy', { content, commit: SOME_COMMIT });
    assert.equal(res.status, 200, res.text);
    return res.json as ApplyPolicyResponse;
  }

  async function workspaces(): Promise<WorkspaceListResponse> {
    const res = await as(server, admin.token).get('/api/workspaces');
    assert.equal(res.status, 200, res.text);
    return res.json as WorkspaceListResponse;
  }

  async function refusals(action: string, actor: string) {
    const res = await as(server, STATIC_TOKEN).get(
      `/api/audit?action=${action}&outcome=refused&actor=${encodeURIComponent(actor)}&limit=50`,
    );
    assert.equal(res.status, 200, res.text);
    return (res.json as AuditListResponse).entries;
  }

  /** A workspace declared by the applied file, a member bound only there, and a review of a prompt in it. */
  async function scene() {
    const ws = uniqueName('ws').toLowerCase();
    const member = await testUser(server, 'viewer');
    const applied = await apply(accessFile(ws, member.username));
    assert.ok(applied.createdWorkspaces.includes(ws), 'apply creates the workspace it declares');
    const review = await mustPost<ReviewDto>(server, admin.token, '/api/reviews', {
      path: `prompts/${ws}/answer.prompt`,
      content: promptText('Answer briefly.'),
    });
    assert.equal(review.workspace, ws);
    const read = () => as(server, member.token).get(`/api/reviews/${review.id}`);
    assert.equal((await read()).status, 200, 'the binding lets the member read it');
    return { ws, member, review, read };
  }

  it('deleting it takes the member’s access away at once: the review answers 404', async () => {
    const { ws, member, review, read } = await scene();
    const deleted = await as(server, admin.token).del(`/api/workspaces/${ws}`);
    assert.equal(deleted.status, 204, deleted.text);
    const after = await read();
    assert.equal(after.status, 404, 'the prompt fell to `default`, where the member may not read');
    assert.equal(errorOf(after).code, 'not_found');
    const listed = await as(server, member.token).get(`/api/reviews?path=${encodeURIComponent(review.path)}`);
    assert.equal(listed.status, 200);
    assert.deepEqual((listed.json as { reviews: unknown[] }).reviews, [], 'lists leave it out too');
    const list = await workspaces();
    assert.ok(!list.workspaces.some((w) => w.name === ws), 'no longer listed');
    assert.deepEqual(
      list.deleted.filter((d) => d.name === ws).map((d) => d.deletedBy),
      [admin.username],
      'listed as deleted, with who deleted it',
    );
  });

  it('applying a file that still declares it does not bring it back, and the answer says so', async () => {
    const { ws, member, read } = await scene();
    assert.equal((await as(server, admin.token).del(`/api/workspaces/${ws}`)).status, 204);

    const reapplied = await apply(accessFile(ws, member.username));
    assert.equal(reapplied.changed, true);
    assert.deepEqual(reapplied.deletedWorkspaces, [ws]);
    assert.ok(!reapplied.createdWorkspaces.includes(ws), 'not re-created');
    assert.equal((await read()).status, 404, 'still grants nothing');
    assert.ok(!(await workspaces()).workspaces.some((w) => w.name === ws));

    const inForce = (await as(server, STATIC_TOKEN).get('/api/policy')).json as { content: string };
    const again = await as(server, STATIC_TOKEN).put('/api/policy', { content: inForce.content, commit: SOME_COMMIT });
    assert.equal(again.status, 200);
    assert.equal((again.json as ApplyPolicyResponse).changed, false);
    assert.deepEqual((again.json as ApplyPolicyResponse).deletedWorkspaces, [ws], 'an unchanged apply says so too');
  });

  it('an admin re-creating it (POST with the name) lifts the tombstone: the bindings apply again', async () => {
    const { ws, read } = await scene();
    assert.equal((await as(server, admin.token).del(`/api/workspaces/${ws}`)).status, 204);
    assert.equal((await read()).status, 404);

    const recreated = await as(server, admin.token).post('/api/workspaces', { name: ws });
    assert.equal(recreated.status, 201, recreated.text);
    assert.equal((await read()).status, 200, 'the access file binds the member there again');
    const list = await workspaces();
    assert.ok(list.workspaces.some((w) => w.name === ws));
    assert.ok(!list.deleted.some((d) => d.name === ws));
  });

  it('non-admins may neither delete it nor re-create it once deleted (raw HTTP, refusals audited)', async () => {
    const { ws, member, read } = await scene();
    const editor = await testUser(server, 'editor');
    const viewer = await testUser(server, 'viewer');

    const editorDelete = await as(server, editor.token).del(`/api/workspaces/${ws}`);
    assert.equal(editorDelete.status, 403, editorDelete.text);
    assert.equal((await read()).status, 200, 'a refused delete changes nothing');
    assert.equal((await refusals('workspace.delete', editor.username)).length, 1);
    assert.equal((await as(server, member.token).del(`/api/workspaces/${ws}`)).status, 403, 'bound editor there');

    assert.equal((await as(server, admin.token).del(`/api/workspaces/${ws}`)).status, 204);

    const editorCreate = await as(server, editor.token).post('/api/workspaces', { name: ws.toUpperCase() });
    assert.equal(editorCreate.status, 403, editorCreate.text);
    assert.equal(errorOf(editorCreate).code, 'workspace_deleted');
    assert.match(
      errorOf(editorCreate).message,
      new RegExp(`deleted by ${admin.username}; only an admin may re-create it`),
    );
    const [refused] = await refusals('workspace.create', editor.username);
    assert.match(refused?.reason ?? '', /only an admin may re-create it/);

    assert.equal((await as(server, viewer.token).post('/api/workspaces', { name: ws })).status, 403);
    assert.equal((await refusals('workspace.create', viewer.username)).length, 1);

    // A key never exceeds its creator: an editor's key scoped to workspace.create is refused too.
    const key = await apiKeyFor(server, editor.id, ['workspace.create']);
    const keyCreate = await as(server, key.token).post('/api/workspaces', { name: ws });
    assert.equal(keyCreate.status, 403, keyCreate.text);

    assert.equal((await read()).status, 404, 'still deleted after every refused attempt');
    assert.ok((await workspaces()).deleted.some((d) => d.name === ws));

    // A new name is still an editor's to create, as the seed says.
    assert.equal((await as(server, editor.token).post('/api/workspaces', { name: uniqueName('fresh') })).status, 201);
  });

  it('creating a workspace answers with the access-file entry that binds people to it; applied, it binds them', async () => {
    const editor = await testUser(server, 'editor');
    const name = uniqueName('team').toLowerCase();
    const res = await as(server, editor.token).post('/api/workspaces', { name });
    assert.equal(res.status, 201, res.text);
    const { binding } = res.json as CreateWorkspaceResponse;
    assert.equal(binding.file, '.promptops/access.yaml');
    assert.equal(
      binding.snippet,
      `workspaces:\n  ${name}:\n    paths:\n      - prompts/${name}/**\n    members:\n      ${editor.username}: editor\n`,
    );
    assert.match(binding.next, /bind people in `members`.*promptops apply/);

    // Pasted into an access file and applied, it places prompts there and binds the creator.
    const applied = await apply(`version: 1\n${binding.snippet}`);
    assert.deepEqual(applied.createdWorkspaces, [], 'the workspace exists already');
    const review = await mustPost<ReviewDto>(server, editor.token, '/api/reviews', {
      path: `prompts/${name}/first.prompt`,
      content: promptText('Hello.'),
    });
    assert.equal(review.workspace, name);

    // Those who may not create workspaces get no binding: a viewer, and the viewer's key.
    const viewer = await testUser(server, 'viewer');
    const refused = await as(server, viewer.token).post('/api/workspaces', { name: uniqueName('no') });
    assert.equal(refused.status, 403, refused.text);
    assert.doesNotMatch(refused.text, /snippet/);
    const key = await apiKeyFor(server, viewer.id, ['prompt.read']);
    assert.equal((await as(server, key.token).post('/api/workspaces', { name: uniqueName('no') })).status, 403);
    await apply('version: 1\n');
  });
});
