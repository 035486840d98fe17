import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { RunningServer } from '../../../src/server/startServer';
import { CLI, ensureBuilt, tempGitRepo } from '../../support/cli';
import { CliUser } from '../../support/cliAgainstServer';
import { promptText, testUser } from '../../support/reviewFixtures';
import { applyAccessFile, as } from '../../support/reviewServer';
import { sqliteBackend, type TestBackend } from '../../support/serverBackends';
import { apiKeyFor, startTestServer, uniqueName } from '../../support/serverFixtures';

/** `promptops lint` asks the server which declared workspaces it deleted, and says what to do. */
describe('CLI: promptops lint warns when the access file declares a workspace deleted on the server', function () {
  this.timeout(120_000);
  let backend: TestBackend;
  let server: RunningServer;
  let key: string;
  let adminToken: string;
  const dirs: string[] = [];

  before(async () => {
    ensureBuilt();
    backend = sqliteBackend();
    server = await startTestServer(backend);
    const admin = await testUser(server, 'admin');
    adminToken = admin.token;
    const viewer = await testUser(server, 'viewer');
    key = (await apiKeyFor(server, viewer.id, ['prompt.read'])).token;
  });
  after(async () => {
    await server?.close();
    await backend?.cleanup();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** Not spawnSync: the server runs in this process and must answer while lint waits. */
  function lint(dir: string, serverUrl: string) {
    const viewer = new CliUser('viewer', CLI, dir);
    dirs.push(viewer.configHome);
    return viewer.start(['lint', '.', '--server', serverUrl], { PROMPTOPS_API_KEY: key });
  }

  it('names file, line and what to do; quiet again once an admin re-creates it', async () => {
    const ws = uniqueName('ws').toLowerCase();
    const access = `version: 1\nworkspaces:\n  ${ws}:\n    paths: ["prompts/${ws}/**"]\n    members: { alice: editor }\n`;
    await applyAccessFile(server, access);
    const repo = tempGitRepo({ '.promptops/access.yaml': access, [`prompts/${ws}/a.prompt`]: promptText('Hi.') });
    dirs.push(repo);
    assert.equal((await lint(repo, server.url)).status, 0, 'nothing deleted yet');

    assert.equal((await as(server, adminToken).del(`/api/workspaces/${ws}`)).status, 204);
    const warned = await lint(repo, server.url);
    assert.equal(warned.status, 1, warned.stderr);
    assert.match(
      warned.stdout,
      new RegExp(
        `^\\.promptops/access\\.yaml:3:3 workspaces\\.${ws}: warning: workspace \`${ws}\` was deleted on the server: it grants nothing and its prompts are in \`default\`\\. Remove it from the access file, or have an admin re-create it \\(POST /api/workspaces with the name\\)\\.$`,
        'm',
      ),
    );
    assert.match(warned.stderr, /0 errors, 1 warning/);

    assert.equal((await as(server, adminToken).post('/api/workspaces', { name: ws })).status, 201);
    const quiet = await lint(repo, server.url);
    assert.equal(quiet.status, 0, quiet.stdout);
  });

  it('a server it cannot reach: the files are still checked, and stderr says the server was not', async () => {
    const repo = tempGitRepo({ '.promptops/access.yaml': 'version: 1\n', 'prompts/a.prompt': promptText('Hi.') });
    dirs.push(repo);
    const r = await lint(repo, 'http://127.0.0.1:9');
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stderr, /did not check the server for deleted workspaces/);
  });
});
