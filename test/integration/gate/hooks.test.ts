import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, writeFiles, ensureBuilt } from '../../support/cli';
import { DRAFT, gateRepo, REPLY, type GateRepo } from '../../support/gateRepo';

describe('promptops hooks install', () => {
  let repo: GateRepo;
  before(ensureBuilt);
  beforeEach(() => {
    repo = gateRepo();
  });
  afterEach(() => rmSync(repo.dir, { recursive: true, force: true }));

  /** `git commit` as a user would run it, hooks and all. */
  function commit(user: string, role: string, files: Record<string, string>) {
    writeFiles(repo.dir, files);
    spawnSync('git', ['add', '-A'], { cwd: repo.dir });
    return spawnSync('git', ['commit', '-qm', 'change'], {
      cwd: repo.dir,
      encoding: 'utf8',
      env: { ...process.env, PROMPTOPS_USER: user, PROMPTOPS_ROLE: role },
    });
  }

  it("really blocks a viewer's git commit of a prod prompt, with the reason, and lets allowed commits through", () => {
    const install = runCli(['hooks', 'install'], repo.dir);
    assert.equal(install.status, 0, install.stderr);
    assert.match(install.stderr, /installed .*\.git\/hooks\/pre-commit/);
    const head = repo.git('rev-parse', 'HEAD');
    const refused = commit('vic', 'viewer', { 'prompts/support/reply.prompt': REPLY.replace('briefly', 'never') });
    assert.notEqual(refused.status, 0);
    assert.match(
      refused.stderr,
      /prompts\/support\/reply\.prompt: Read-only: editing prod prompts in `support` needs the `publisher` or `admin` role; you are `viewer`\./,
    );
    assert.equal(repo.git('rev-parse', 'HEAD'), head, 'nothing was committed');
    repo.git('reset', '-q', '--hard');
    const allowed = commit('alice', 'editor', { 'prompts/support/draft.prompt': DRAFT.replace('Draft', 'Write') });
    assert.equal(allowed.status, 0, allowed.stderr + allowed.stdout);
    assert.notEqual(repo.git('rev-parse', 'HEAD'), head);
  });

  it('keeps an existing pre-commit hook working, and installing twice changes nothing more', () => {
    const hook = join(repo.dir, '.git/hooks/pre-commit');
    const ran = join(repo.dir, '.git/old-hook-ran');
    writeFileSync(
      hook,
      `#!/bin/sh\necho ran >> '${ran}'\ngrep -q FORBIDDEN README.md && { echo "old hook: no FORBIDDEN"; exit 1; }\nexit 0\n`,
    );
    chmodSync(hook, 0o755);
    assert.match(runCli(['hooks', 'install'], repo.dir).stderr, /existing hook was kept as pre-commit\.local/);
    assert.match(runCli(['hooks', 'install'], repo.dir).stderr, /updated the existing PromptOps hook/);
    assert.match(readFileSync(join(repo.dir, '.git/hooks/pre-commit.local'), 'utf8'), /old hook: no FORBIDDEN/);

    assert.equal(commit('alice', 'editor', { 'README.md': 'fine\n' }).status, 0);
    assert.equal(readFileSync(ran, 'utf8'), 'ran\n', 'the old hook ran once');
    const blockedByOld = commit('alice', 'editor', { 'README.md': 'FORBIDDEN\n' });
    assert.notEqual(blockedByOld.status, 0);
    assert.match(blockedByOld.stderr, /old hook: no FORBIDDEN/);
  });

  it('installs where core.hooksPath points', () => {
    repo.git('config', 'core.hooksPath', '.githooks');
    assert.equal(runCli(['hooks', 'install'], repo.dir).status, 0);
    assert.ok(existsSync(join(repo.dir, '.githooks/pre-commit')));
    assert.ok(!existsSync(join(repo.dir, '.git/hooks/pre-commit')));
    assert.notEqual(commit('vic', 'viewer', { '.promptops/access.yaml': 'version: 1\n' }).status, 0);
  });
});
