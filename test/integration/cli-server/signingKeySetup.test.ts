import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SigningKeyDto } from '../../../src/shared/api/signingKeys';
import { CliUser } from '../../support/cliAgainstServer';
import { tempGitRepo } from '../../support/cli';
import { tempDir } from '../../support/serverBackends';
import { buildCli, spawnServe, type ServeProcess } from '../../support/serverProcess';
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
  let serve: ServeProcess;
  let dataDir: string;
  let outside: string;
  let keys: SshKeyFiles;
  const clones: string[] = [];
  const at: Record<string, CliUser> = {};

  before(async () => {
    const cli = await buildCli();
    dataDir = tempDir();
    outside = tempDir('promptops-cwd-');
    keys = sshKeygen(tempDir('promptops-ssh-'), 'admin');
    serve = await spawnServe(['--data-dir', dataDir]);
    clones.push(tempGitRepo({ 'README.md': '# one\n' }), tempGitRepo({ 'README.md': '# two\n' }));
    for (const [where, cwd] of [
      ['outside', outside],
      ['first', clones[0]],
      ['second', clones[1]],
    ] as const) {
      at[where] = new CliUser('admin', cli, cwd);
      at[where].ok(['login', '--server', serve.url, '--username', 'admin'], { PROMPTOPS_PASSWORD: 'admin' });
    }
  });

  after(async () => {
    serve?.child.kill('SIGTERM');
    await serve?.exited;
    for (const dir of [dataDir, outside, ...clones, ...Object.values(at).map((u) => u.configHome)])
      if (dir) rmSync(dir, { recursive: true, force: true });
  });

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
