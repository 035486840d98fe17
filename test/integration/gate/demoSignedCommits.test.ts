/**
 * The demo sets signing up for its sample team (demo/startDemo.ts's prepareDemo, without
 * code-server): each sample user has a registered SSH key, the sample repository requires
 * signed commits, and git signs as whoever signs in (the extension calls signAsTeamMember).
 * A newcomer's commit is signed and verify passes; an unsigned one is refused.
 */
import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoSigningKeys } from '../../../demo/demoSigningKeys';
import { DEMO_BASE_TAG, prepareDemo, startDemoServer } from '../../../demo/startDemo';
import { openGitRepository } from '../../../src/git';
import { signAsTeamMember } from '../../../src/workflows/teamSigningKey';
import { ensureBuilt, runCli } from '../../support/cli';

const DEV_PROMPT = 'prompts/support/triage.prompt.yml';
const PROD_PROMPT = 'prompts/support/refund-policy.prompt';
const TOKEN = 'demo-test-token';

describe('the demo signs its sample team’s commits', function () {
  this.timeout(60_000);
  let stateDir: string;
  let server: { url: string; child: ChildProcess } | undefined;
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  const verify = () => runCli(['verify', '--base', DEMO_BASE_TAG], repo);
  const edit = (path: string, text: string) =>
    writeFileSync(join(repo, path), readFileSync(join(repo, path), 'utf8') + text);

  before(async () => {
    ensureBuilt();
    stateDir = mkdtempSync(join(tmpdir(), 'promptops-demo-signing-'));
    server = await startDemoServer(stateDir, 0, TOKEN);
    const prepared = await prepareDemo(stateDir, server.url, TOKEN);
    assert.equal(prepared.signed, true);
    repo = prepared.repo;
  });
  after(() => {
    server?.child.kill('SIGTERM');
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });
  afterEach(() => git('reset', '-q', '--hard', DEMO_BASE_TAG));

  it('sets up the repository: signed commits required, key pinned, everyone’s key in the signed directory', () => {
    const access = readFileSync(join(repo, '.promptops/access.yaml'), 'utf8');
    assert.match(access, /^requireSignedCommits: true/m);
    assert.match(access, /^publicKey: "/m);
    const directory = readFileSync(join(repo, '.promptops/directory.yaml'), 'utf8');
    for (const user of ['admin', 'erin', 'rita', 'paul', 'mia', 'victor']) {
      const key = readFileSync(join(stateDir, 'keys', `${user}.pub`), 'utf8').split(' ')[1];
      assert.ok(directory.includes(key), `${user}'s key is in the directory`);
    }
    assert.equal(git('config', '--local', 'gpg.format'), 'ssh');
    assert.equal(git('config', '--local', 'commit.gpgsign'), 'true');
    // Nobody signed in yet: the clone signs as admin, and the setup commit is admin's.
    assert.equal(git('config', '--local', 'user.signingkey'), join(stateDir, 'keys', 'admin'));
    assert.equal(git('status', '--porcelain'), '');
    const ok = verify();
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const plain = runCli(['verify'], repo);
    assert.equal(plain.status, 0, plain.stdout + plain.stderr);
  });

  it('erin signs in: her commit of a dev prompt is signed with her key and verify passes', async () => {
    const key = await signAsTeamMember(await openGitRepository(repo), 'erin');
    assert.equal(key, join(stateDir, 'keys', 'erin'));
    edit(DEV_PROMPT, '\n');
    git('commit', '-qam', 'Erin tidies triage');
    assert.match(git('cat-file', 'commit', 'HEAD'), /^gpgsig -----BEGIN SSH SIGNATURE-----/m, 'the commit is signed');
    const ok = verify();
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stderr, /1 commit since promptops-demo-base, key \S+: ok/);
  });

  it('the key follows who signs in: erin’s signed change to a prod prompt is judged as erin, not admin', async () => {
    await signAsTeamMember(await openGitRepository(repo), 'erin');
    edit(PROD_PROMPT, '\nAlways refund.\n');
    git('commit', '-qam', 'Erin changes the prod refund policy');
    const r = verify();
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /refund-policy\.prompt: commit [0-9a-f]{7} by erin \(signed with SHA256:\S+/);
    // The control: paul (publisher in support) signs in and makes the same change.
    git('reset', '-q', '--hard', DEMO_BASE_TAG);
    await signAsTeamMember(await openGitRepository(repo), 'paul');
    edit(PROD_PROMPT, '\nAlways refund.\n');
    git('commit', '-qam', 'Paul changes the prod refund policy');
    const ok = verify();
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  });

  it('refuses an unsigned commit of a prompt', () => {
    edit(DEV_PROMPT, '\n');
    git('-c', 'commit.gpgsign=false', 'commit', '-qam', 'Unsigned');
    assert.doesNotMatch(git('cat-file', 'commit', 'HEAD'), /^gpgsig/m);
    const r = verify();
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /^prompts\/support\/triage\.prompt\.yml: commit [0-9a-f]{7} is not signed/m);
  });

  it('a second run on another port commits the new server address as admin, signed, and verify still passes', async () => {
    await signAsTeamMember(await openGitRepository(repo), 'victor');
    server?.child.kill('SIGTERM');
    await new Promise((r) => server?.child.once('exit', r));
    server = await startDemoServer(stateDir, 0, TOKEN);
    await prepareDemo(stateDir, server.url, TOKEN);
    assert.equal(git('log', '-1', '--format=%s'), 'Point the access file at the demo server');
    const ok = verify();
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    // Victor (a viewer) stays the one git signs as: the demo signed its own commit as admin.
    assert.equal(git('config', '--local', 'user.signingkey'), join(stateDir, 'keys', 'victor'));
  });
});

describe('the demo without ssh-keygen', () => {
  it('says how to get it and makes no keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promptops-demo-nokeygen-'));
    const path = process.env.PATH;
    const said: string[] = [];
    try {
      process.env.PATH = join(dir, 'no-such-bin');
      assert.equal(
        demoSigningKeys(join(dir, 'keys'), ['erin'], (l) => said.push(l)),
        undefined,
      );
    } finally {
      process.env.PATH = path;
      rmSync(dir, { recursive: true, force: true });
    }
    assert.match(
      said.join('\n'),
      /ssh-keygen was not found \(install OpenSSH, e\.g\. apt-get install openssh-client\)/,
    );
  });
});
