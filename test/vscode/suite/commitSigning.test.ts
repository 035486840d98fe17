import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { INITIAL_ADMIN, TEST_USERS } from '../fixture/testUsers';
import {
  hasBrowser,
  notification,
  notificationsAskedSoFar,
  notificationsShown,
  repoRoot,
  signInAs,
  signOut,
  waitFor,
} from './helpers';

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

/**
 * The notification saying `contains`, once listed, with its `button` pressed. Listed first: a
 * notification center opened before this notice arrived stayed empty (seen in this suite).
 */
async function listedThenClicked(contains: string, button: string): Promise<string> {
  await waitFor(
    `a notification saying "${contains}"`,
    async () => (await notificationsShown()).some((m) => m.includes(contains)),
    20_000,
  );
  return notification(contains, button);
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

    // Someone without a key in the folder: git keeps the last key rather than guessing
    // (signInAs waits for the sign-in to have settled, git's signing key included).
    await signInAs(TEST_USERS.victor);
    assert.equal(localConfig('user.signingkey'), join(keys, 'bob'));
  });

  it('where the access file requires signed commits and the clone does not sign, says so once, and its button registers a chosen key and signs', async function () {
    // The notices are read and clicked in the browser's notification list, as a person would.
    if (!hasBrowser()) this.skip();
    const api = await signInAs(INITIAL_ADMIN);
    const pub = `${join(dir, 'admin_signing')}.pub`;
    const fingerprint = makeKey(join(dir, 'admin_signing'), 'admin@laptop');
    const access = join(repoRoot(), '.promptops', 'access.yaml');
    const before = readFileSync(access, 'utf8');
    const window = vscode.window as unknown as Record<string, (...args: unknown[]) => Thenable<unknown>>;
    const realQuickPick = window.showQuickPick;
    const picked: string[][] = [];
    // The key from the list (a quick pick the browser requests cannot drive).
    window.showQuickPick = (items: unknown) => {
      picked.push((items as vscode.QuickPickItem[]).map((i) => i.label));
      return Promise.resolve({ label: 'admin_signing.pub', description: pub });
    };
    const requiresSigned = 'requires signed commits';
    await vscode.commands.executeCommand('notifications.clearAll');
    try {
      writeFileSync(access, before.replace('version: 1\n', 'version: 1\nrequireSignedCommits: true\n'));
      const warning = await listedThenClicked(requiresSigned, 'Set Up Signing…');
      assert.match(warning, /git does not sign your commits in this clone/);
      const asked = await listedThenClicked('sign your commits in this clone with', 'Sign My Commits');
      assert.ok(asked.includes(`with ${pub}?`), asked);
      // commit.gpgsign is the last of the three settings written.
      await waitFor(
        'the signing set up from the notice',
        () => localConfig('user.signingkey') === pub && localConfig('commit.gpgsign') === 'true',
        20_000,
      );
      assert.equal(picked.length, 1, 'the key was chosen from a list');
      assert.ok(
        picked[0].some((label) => /Choose a public key file/.test(label)),
        'a file picker is offered too',
      );
      assert.equal(localConfig('gpg.format'), 'ssh');
      assert.ok((await api.model.session.api().listSigningKeys()).some((k) => k.fingerprint === fingerprint));

      // Once, not nagging: unsigned again and signed in again, nothing more is said.
      await vscode.commands.executeCommand('notifications.clearAll');
      unsetLocal('user.signingkey');
      await signOut();
      await signInAs(INITIAL_ADMIN);
      await api.settled();
      assert.deepEqual(
        (await notificationsAskedSoFar()).filter((m) => m.includes(requiresSigned)),
        [],
      );
    } finally {
      window.showQuickPick = realQuickPick;
      writeFileSync(access, before);
      await api.model.session
        .api()
        .removeSigningKey(fingerprint)
        .catch(() => undefined);
    }
  });
});
