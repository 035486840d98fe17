import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SigningKeyDto } from '../../../src/shared/api/signingKeys';
import { ServedTeam, type CliUser } from '../../support/cliAgainstServer';
import { sshKeygen, type SshKeyFiles } from '../../support/sshKeys';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe' }).trim();
const localConfig = (cwd: string, name: string) => {
  try {
    return git(cwd, 'config', '--local', '--get', name);
  } catch {
    return undefined;
  }
};

/**
 * `promptops signing-key add --configure-git`: one command registers the key and makes git
 * sign this clone's commits with it, so a newcomer never meets "commit is not signed".
 */
describe('CLI: promptops signing-key add --configure-git', function () {
  this.timeout(120_000);
  let served: ServedTeam;
  let keys: SshKeyFiles;
  const clones: string[] = [];
  const at: Record<string, CliUser> = {};

  before(async () => {
    served = await ServedTeam.start({ seedFiles: () => ({ 'README.md': '# one\n' }) });
    const sshDir = join(served.top, 'ssh');
    mkdirSync(sshDir);
    keys = sshKeygen(sshDir, 'admin');
    clones.push(served.remote!.clone('first'), served.remote!.clone('second'));
    // The admin at three terminals, each signed in with a config folder of its own; the
    // team's folder holds the remote and the clones but is no repository itself.
    for (const [where, cwd] of [
      ['outside', served.top],
      ['first', clones[0]],
      ['second', clones[1]],
    ] as const)
      at[where] = served.signIn('admin', cwd, `admin-${where}`);
  });

  after(() => served?.stop());

  it('outside a repository: refused before anything is registered', () => {
    const r = at.outside.run(['signing-key', 'add', keys.publicPath, '--configure-git']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /signing-key add --configure-git: .* is not in a git repository/);
    assert.deepEqual(at.outside.json<SigningKeyDto[]>(['signing-key', 'list']), []);
  });

  it("registers the key and signs this clone's commits with it; other repositories are left alone", () => {
    const out = at.first.ok(['signing-key', 'add', keys.publicPath, '--configure-git']);
    assert.match(out, /^Registered SHA256:\S+/);
    assert.match(out, /Commits in .* are now signed with it/);
    assert.equal(localConfig(clones[0], 'gpg.format'), 'ssh');
    assert.equal(localConfig(clones[0], 'user.signingkey'), keys.publicPath);
    assert.equal(localConfig(clones[0], 'commit.gpgsign'), 'true');
    assert.equal(localConfig(clones[1], 'gpg.format'), undefined, 'the other clone is not configured');

    // A plain `git commit` is now signed with that very key (git checks it against an allowed-signers file).
    writeFileSync(join(clones[0], 'README.md'), '# one, signed\n');
    git(clones[0], 'commit', '-qam', 'signed by configuration');
    const allowed = join(clones[0], '.git', 'allowed_signers');
    writeFileSync(allowed, `${git(clones[0], 'config', 'user.email')} ${keys.publicKey}\n`);
    // Throws unless git finds the signature good and made by that key.
    execFileSync('git', ['-c', `gpg.ssh.allowedSignersFile=${allowed}`, 'verify-commit', 'HEAD'], {
      cwd: clones[0],
      stdio: 'pipe',
    });
    const [registered] = at.first.json<SigningKeyDto[]>(['signing-key', 'list']);
    assert.match(git(clones[0], 'cat-file', 'commit', 'HEAD'), /^gpgsig -----BEGIN SSH SIGNATURE-----/m);
    assert.ok(registered, 'the key is registered on the server');
  });

  it('in a second clone the same key is not registered twice: only git is configured', () => {
    const out = at.second.ok(['signing-key', 'add', keys.publicPath, '--configure-git']);
    assert.match(out, /^SHA256:\S+ .*is registered already/);
    assert.equal(localConfig(clones[1], 'user.signingkey'), keys.publicPath);
    assert.equal(at.second.json<SigningKeyDto[]>(['signing-key', 'list']).length, 1);
    // Without --configure-git the same key is refused as a duplicate, as before.
    const again = at.second.run(['signing-key', 'add', keys.publicPath]);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /registered already/);
  });
});
