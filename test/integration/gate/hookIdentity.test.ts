import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_MISSING_MESSAGE } from '../../../src/git/hooks/hookCliLauncher';
import { installPreCommitHook, preCommitHookScript } from '../../../src/git/hooks/preCommitHook';
import { generateSigningKey } from '../../../src/core/release';
import { CLI, ensureBuilt, writeFiles } from '../../support/cli';
import { directoryFile, DRAFT, gateRepo, REPLY, signingTeam, sshTeamKeys, type GateRepo } from '../../support/gateRepo';
import type { SshKeyFiles } from '../../support/sshKeys';

const PROD = 'prompts/support/reply.prompt';
const DRAFT_PATH = 'prompts/support/draft.prompt';

/**
 * The pre-commit hook as the extension installs it, in a repository outside this checkout
 * (no node_modules, no `promptops` on PATH): the CLI file is a copy of dist/cli.js in a
 * folder of its own, as the extension ships it. The committer is known only by the SSH
 * signing key git is configured with: no login, no PROMPTOPS_USER.
 */
describe('the pre-commit hook identifies the committer by their SSH signing key', () => {
  const keys = sshTeamKeys();
  let repo: GateRepo;
  let home: string;
  let shippedCli: string;
  before(() => {
    ensureBuilt();
    const extensionDir = mkdtempSync(join(tmpdir(), 'promptops-extension-'));
    mkdirSync(join(extensionDir, 'dist'));
    shippedCli = join(extensionDir, 'dist', 'cli.js');
    copyFileSync(CLI, shippedCli);
  });
  beforeEach(async () => {
    repo = gateRepo({ signed: true });
    home = mkdtempSync(join(tmpdir(), 'promptops-home-'));
    await installPreCommitHook(join(repo.dir, '.git', 'hooks'), preCommitHookScript(process.execPath, shippedCli));
  });
  afterEach(() => {
    rmSync(repo.dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  /** A user's environment: their own HOME and config folder (no `promptops login`), PATH without the CLI. */
  function userEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      PATH: '/usr/bin:/bin',
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      GIT_CONFIG_NOSYSTEM: '1',
    };
    return env;
  }

  /** `git commit` with signing set up as `promptops signing-key add` tells users to. */
  function commitAs(key: SshKeyFiles | undefined, files: Record<string, string>) {
    const head = repo.git('rev-parse', 'HEAD').trim();
    if (key) {
      repo.git('config', 'gpg.format', 'ssh');
      repo.git('config', 'user.signingkey', key.privatePath);
      repo.git('config', 'commit.gpgsign', 'true');
    }
    writeFiles(repo.dir, files);
    repo.git('add', '-A');
    const r = spawnSync('git', ['commit', '-qm', 'change'], { cwd: repo.dir, encoding: 'utf8', env: userEnv() });
    const committed = repo.git('rev-parse', 'HEAD').trim() !== head;
    return { status: r.status, output: r.stdout + r.stderr, committed };
  }

  it('lets an editor commit an allowed change with no login and no PROMPTOPS_USER', () => {
    const r = commitAs(keys.alice, { [DRAFT_PATH]: DRAFT.replace('Draft', 'Write') });
    assert.equal(r.status, 0, r.output);
    assert.ok(r.committed);
    assert.match(r.output, /all allowed for alice \(editor; by signing key SHA256:/);
  });

  it('refuses a viewer, naming the real reason', () => {
    const r = commitAs(keys.vic, { [PROD]: REPLY.replace('briefly', 'never') });
    assert.notEqual(r.status, 0);
    assert.ok(!r.committed);
    assert.match(
      r.output,
      /prompts\/support\/reply\.prompt: Read-only: editing prod prompts in `support` needs the `publisher` or `admin` role; you are `viewer`\./,
    );
    assert.match(r.output, /vic \(viewer\) may not change \(identified by signing key SHA256:/);
  });

  it('refuses a key registered to nobody, saying how to register it', () => {
    const r = commitAs(keys.eve, { [DRAFT_PATH]: DRAFT.replace('Draft', 'Eve') });
    assert.notEqual(r.status, 0);
    assert.ok(!r.committed);
    assert.match(r.output, /your signing key SHA256:\S+ \(git config user\.signingkey\) is registered to nobody/);
    assert.match(r.output, /promptops signing-key add/);
  });

  it('trusts no user directory that the server key pinned in the access file did not sign', () => {
    const forger = generateSigningKey();
    // Alice (an editor) lists herself as admin in a directory signed with a key of her own.
    const promoted = signingTeam().map((u) => (u.username === 'alice' ? { ...u, role: 'admin' as const } : u));
    repo.commitAs('root@example.com', { '.promptops/directory.yaml': directoryFile(forger, promoted, 2) });
    const r = commitAs(keys.alice, { [DRAFT_PATH]: DRAFT.replace('Draft', 'Write') });
    assert.notEqual(r.status, 0);
    assert.ok(!r.committed);
    assert.match(r.output, /does not verify against the trusted key/);
  });

  it('only the directory committed at HEAD counts, not one staged with the change', () => {
    // Even a directory the server really signed, listing eve as an admin, counts only once committed.
    const withEve = [
      ...signingTeam(),
      { username: 'eve', role: 'admin' as const, emails: [], signingKeys: [keys.eve.publicKey] },
    ];
    const r = commitAs(keys.eve, {
      '.promptops/directory.yaml': directoryFile(repo.key, withEve, 2),
      [DRAFT_PATH]: DRAFT.replace('Draft', 'Eve'),
    });
    assert.notEqual(r.status, 0);
    assert.ok(!r.committed);
    assert.match(r.output, /is registered to nobody in the signed user directory at HEAD/);
  });

  it('with no signing key and no login, says how to set one up', () => {
    const r = commitAs(undefined, { [DRAFT_PATH]: DRAFT.replace('Draft', 'Write') });
    assert.notEqual(r.status, 0);
    assert.match(r.output, /who is committing is unknown: set up your SSH signing key .*promptops signing-key add/);
  });

  it('reads a public key file or a key:: literal as git does', () => {
    repo.git('config', 'user.signingkey', keys.carol.publicPath);
    let r = commitAs(undefined, { [PROD]: REPLY.replace('briefly', 'kindly') });
    assert.match(r.output, /carol \(editor; by signing key/);
    assert.equal(r.status, 0, r.output);
    repo.git('config', 'user.signingkey', `key::${keys.vic.publicKey}`);
    r = commitAs(undefined, { [PROD]: REPLY.replace('briefly', 'coldly') });
    assert.notEqual(r.status, 0);
    assert.match(r.output, /you are `viewer`/);
    repo.git('reset', '-q', '--hard');
    // A private key with no .pub beside it: its public half is derived (no passphrase asked for).
    const alone = join(home, 'id_alice');
    copyFileSync(keys.alice.privatePath, alone);
    chmodSync(alone, 0o600);
    repo.git('config', 'user.signingkey', alone);
    r = commitAs(undefined, { [DRAFT_PATH]: DRAFT.replace('Draft', 'Compose') });
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /alice \(editor; by signing key/);
    repo.git('config', 'user.signingkey', join(home, 'missing.pub'));
    r = commitAs(undefined, { [DRAFT_PATH]: DRAFT.replace('Draft', 'Pen') });
    assert.notEqual(r.status, 0);
    assert.match(r.output, /git's user\.signingkey \(.*missing\.pub\): cannot read .*missing\.pub \(ENOENT\)/);
  });

  it('when the CLI it was installed with is gone, runs the `promptops` the user installed on PATH', async () => {
    await installPreCommitHook(
      join(repo.dir, '.git', 'hooks'),
      preCommitHookScript(process.execPath, join(home, 'old-extension', 'dist', 'cli.js')),
    );
    const bin = join(home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'promptops'), `#!/bin/sh\nexec '${process.execPath}' '${shippedCli}' "$@"\n`, {
      mode: 0o755,
    });
    const head = repo.git('rev-parse', 'HEAD').trim();
    repo.git('config', 'user.signingkey', keys.alice.publicPath);
    writeFiles(repo.dir, { [DRAFT_PATH]: DRAFT.replace('Draft', 'Write') });
    repo.git('add', '-A');
    const r = spawnSync('git', ['commit', '-qm', 'change'], {
      cwd: repo.dir,
      encoding: 'utf8',
      env: { ...userEnv(), PATH: `${bin}:/usr/bin:/bin` },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /all allowed for alice/);
    assert.notEqual(repo.git('rev-parse', 'HEAD').trim(), head);
  });

  it('when the CLI it was installed with is gone and none is installed, refuses and says how to install one', async () => {
    await installPreCommitHook(
      join(repo.dir, '.git', 'hooks'),
      preCommitHookScript(process.execPath, join(home, 'old-extension', 'dist', 'cli.js')),
    );
    const r = commitAs(keys.alice, { [DRAFT_PATH]: DRAFT.replace('Draft', 'Write') });
    assert.equal(r.status, 1);
    assert.ok(!r.committed);
    assert.ok(r.output.includes(CLI_MISSING_MESSAGE), r.output);
    assert.doesNotMatch(r.output, /npm error|E404/);
  });
});
