import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { TEST_USERS } from '../fixture/testUsers';
import { repoRoot, signInAs, signOut, waitFor } from './helpers';

const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot(), encoding: 'utf8' }).trim();
/** `git config --local --get`, or undefined when unset. */
const localConfig = (name: string): string | undefined => {
  try {
    return git('config', '--local', '--get', name);
  } catch {
    return undefined;
  }
};
const unsetLocal = (name: string) => {
  if (localConfig(name) !== undefined) git('config', '--local', '--unset', name);
};

/** A passphrase-less ed25519 key pair at `path` and `path.pub`; its SHA256 fingerprint. */
function makeKey(path: string, comment: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  return execFileSync('ssh-keygen', ['-l', '-f', `${path}.pub`], { encoding: 'utf8' }).split(' ')[1];
}

describe('commit signing', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'promptops-signing-'));
  });
  afterEach(() => {
    // Later suites commit in this repository unsigned, as it was made.
    for (const name of ['gpg.format', 'user.signingkey', 'promptops.teamSigningKeys']) unsetLocal(name);
    git('config', '--local', 'commit.gpgsign', 'false');
    rmSync(dir, { recursive: true, force: true });
  });

  it("Register Signing Key with a key file registers it on the server and has git sign this clone's commits with it", async () => {
    const api = await signInAs(TEST_USERS.alice);
    const pub = `${join(dir, 'alice_signing')}.pub`;
    const fingerprint = makeKey(join(dir, 'alice_signing'), 'alice@laptop');
    const outcome = await vscode.commands.executeCommand('promptops.registerSigningKey', {
      keyFile: pub,
      configureGit: true,
    });
    try {
      assert.equal(outcome, 'registered');
      const listed = await api.model.session.api().listSigningKeys();
      assert.ok(
        listed.some((k) => k.fingerprint === fingerprint),
        `alice's keys on the server: ${JSON.stringify(listed)}`,
      );
      assert.equal(localConfig('gpg.format'), 'ssh');
      assert.equal(localConfig('user.signingkey'), pub);
      assert.equal(localConfig('commit.gpgsign'), 'true');

      // git itself now signs: a plain commit in this clone carries an SSH signature.
      git('commit', '-q', '--no-verify', '--allow-empty', '-m', 'signed by alice');
      try {
        const commit = git('cat-file', 'commit', 'HEAD');
        assert.match(commit, /^gpgsig -----BEGIN SSH SIGNATURE-----/m, commit);
      } finally {
        git('reset', '-q', '--soft', 'HEAD~1');
      }

      // Run again in a clone that signs with it already: nothing new to register.
      assert.equal(
        await vscode.commands.executeCommand('promptops.registerSigningKey', { keyFile: pub, configureGit: true }),
        'already',
      );
    } finally {
      await api.model.session
        .api()
        .removeSigningKey(fingerprint)
        .catch(() => undefined);
    }
  });

  it('a clone with a team folder of keys signs as whoever signs in, and switches when someone else does', async () => {
    const keys = join(dir, 'team');
    mkdirSync(keys);
    makeKey(join(keys, 'alice'), 'alice');
    makeKey(join(keys, 'bob'), 'bob');
    git('config', '--local', 'promptops.teamSigningKeys', keys);
    await signOut();

    await signInAs(TEST_USERS.alice);
    await waitFor("git signing as alice's team key", () => localConfig('user.signingkey') === join(keys, 'alice'));
    assert.equal(localConfig('gpg.format'), 'ssh');
    assert.equal(localConfig('commit.gpgsign'), 'true');

    await signInAs(TEST_USERS.bob);
    await waitFor("git signing as bob's team key", () => localConfig('user.signingkey') === join(keys, 'bob'));

    // Someone without a key in the folder: git keeps the last key rather than guessing.
    await signInAs(TEST_USERS.victor);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(localConfig('user.signingkey'), join(keys, 'bob'));
  });
});
