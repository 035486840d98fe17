import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYMLINK_REASON } from '../../../src/cli/gate/changeCheck';
import { runCli, writeFiles, ensureBuilt } from '../../support/cli';
import { accessFile, DRAFT, gateRepo, REPLY, type GateRepo } from '../../support/gateRepo';

const LOCK = '.promptops/published.yaml';
const as = (user: string, role: string) => ({ PROMPTOPS_USER: user, PROMPTOPS_ROLE: role });

describe('promptops check', () => {
  let repo: GateRepo;
  before(ensureBuilt);
  beforeEach(() => {
    repo = gateRepo();
  });
  const cleanup: string[] = [];
  afterEach(() => {
    for (const dir of [repo.dir, ...cleanup.splice(0)]) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a viewer's staged prod edit, with the reason", () => {
    writeFiles(repo.dir, { 'prompts/support/reply.prompt': REPLY.replace('briefly', 'at length') });
    repo.git('add', '-A');
    const r = runCli(['check', '--staged'], repo.dir, as('vic', 'viewer'));
    assert.equal(r.status, 1, r.stderr);
    assert.equal(
      r.stdout,
      'prompts/support/reply.prompt: Read-only: editing prod prompts in `support` needs the `publisher` or `admin` role; you are `viewer`.\n',
    );
    assert.match(r.stderr, /1 file vic \(viewer\) may not change/);
  });

  it("refuses a non-admin's staged access-file edit, and lets an admin make it", () => {
    writeFiles(repo.dir, { '.promptops/access.yaml': accessFile(repo.key, 'protected: ["prompts/shared/**"]\n') });
    repo.git('add', '-A');
    const r = runCli(['check', '--staged', '--user', 'alice', '--role', 'editor'], repo.dir);
    assert.equal(r.status, 1);
    assert.equal(
      r.stdout,
      '.promptops/access.yaml: Read-only: `.promptops/access.yaml` is protected; only admins may change it, and you are `editor`.\n',
    );
    assert.equal(runCli(['check', '--staged', '--user', 'root', '--role', 'admin'], repo.dir).status, 0);
  });

  it('decides with the access file at HEAD, so granting yourself a role in the same commit does not work', () => {
    const selfGrant = accessFile(repo.key).replace(
      'members: { carol: publisher }',
      'members: { carol: publisher, alice: publisher }',
    );
    writeFiles(repo.dir, {
      '.promptops/access.yaml': selfGrant,
      'prompts/support/reply.prompt': REPLY.replace('briefly', 'rudely'),
    });
    repo.git('add', '-A');
    const r = runCli(['check', '--staged'], repo.dir, as('alice', 'editor'));
    assert.equal(r.status, 1);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      '.promptops/access.yaml: Read-only: `.promptops/access.yaml` is protected; only admins may change it, and you are `editor`.',
      'prompts/support/reply.prompt: Read-only: prod prompts in `support` need the `publisher` role; you are `editor`.',
    ]);
  });

  it('checks where a prompt was and where it goes: promoting a draft to prod by its env field, or moving a prod prompt out', () => {
    writeFiles(repo.dir, { 'prompts/support/draft.prompt': DRAFT.replace('env: dev', 'env: prod') });
    repo.git('add', '-A');
    let r = runCli(['check', '--staged'], repo.dir, as('alice', 'editor'));
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^prompts\/support\/draft\.prompt: Read-only: prod prompts in `support` need the `publisher` role/,
    );
    repo.git('reset', '-q', '--hard');
    repo.git('mv', 'prompts/support/reply.prompt', 'prompts/elsewhere.prompt');
    r = runCli(['check', '--staged'], repo.dir, as('alice', 'editor'));
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^prompts\/support\/reply\.prompt: Read-only: prod prompts in `support` need the `publisher` role/,
    );
  });

  it('passes allowed changes, and non-prompt files that are not protected', () => {
    writeFiles(repo.dir, {
      'prompts/support/draft.prompt': DRAFT.replace('Draft', 'Write'),
      'README.md': 'changed\n',
      'prompts/new.prompt': DRAFT,
    });
    repo.git('add', '-A');
    const r = runCli(['check', '--staged', '--json'], repo.dir, as('alice', 'editor'));
    assert.equal(r.status, 0, r.stdout);
    const out = JSON.parse(r.stdout) as { changed: number; problems: unknown[] };
    assert.deepEqual([out.changed, out.problems], [3, []]);
  });

  it('without --staged, looks at the working tree including unstaged and untracked files', () => {
    writeFiles(repo.dir, { 'prompts/support/new-prod.prompt': REPLY });
    const r = runCli(['check'], repo.dir, as('alice', 'editor'));
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^prompts\/support\/new-prod\.prompt: Read-only: prod prompts in `support` need the `publisher` role/,
    );
    assert.equal(runCli(['check', '--staged'], repo.dir, as('alice', 'editor')).status, 0);
  });

  it('refuses symlinks as the lock and as prompts, whoever stages them, and never follows them', () => {
    const outside = mkdtempSync(join(tmpdir(), 'promptops-outside-'));
    cleanup.push(outside);
    writeFileSync(join(outside, 'secrets.txt'), 'token=hunter2\n');
    rmSync(join(repo.dir, LOCK));
    symlinkSync(join(outside, 'secrets.txt'), join(repo.dir, LOCK));
    symlinkSync('/etc/hostname', join(repo.dir, 'prompts/support/linked.prompt'));
    repo.git('add', '-A');
    const r = runCli(['check', '--staged'], repo.dir, as('root', 'admin'));
    assert.equal(r.status, 1);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      `.promptops/published.yaml: ${SYMLINK_REASON}`,
      `prompts/support/linked.prompt: ${SYMLINK_REASON}`,
    ]);
    assert.doesNotMatch(r.stdout, /hunter2/);
    // The working-tree check sees the same links (untracked too).
    repo.git('reset', '-q');
    assert.equal(runCli(['check'], repo.dir, as('root', 'admin')).stdout, r.stdout);
    // Control: a link that is neither a prompt nor protected is none of the gate's business.
    repo.git('reset', '-q', '--hard');
    repo.git('clean', '-qfd');
    symlinkSync('../README.md', join(repo.dir, 'prompts/README.md'));
    repo.git('add', '-A');
    assert.equal(runCli(['check', '--staged'], repo.dir, as('alice', 'editor')).status, 0);
  });

  it('matches protected paths and workspaces case-insensitively and NFC-normalised, as such disks do', () => {
    repo.commitAs('root@example.com', {
      '.promptops/access.yaml': accessFile(repo.key, 'protected: ["prompts/shared/**", "prompts/café/**"]\n'),
    });
    writeFiles(repo.dir, {
      '.PromptOps/access.yaml': accessFile(undefined),
      'Prompts/Shared/tone.prompt': DRAFT,
      'prompts/cafe\u0301/menu.prompt': DRAFT,
      'Prompts/SUPPORT/new.prompt': REPLY,
    });
    repo.git('add', '-A');
    const r = runCli(['check', '--staged'], repo.dir, as('alice', 'editor'));
    assert.equal(r.status, 1);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 4, r.stdout);
    assert.match(lines[0], /^\.PromptOps\/access\.yaml: Read-only: `\.PromptOps\/access\.yaml` is protected/);
    assert.match(
      lines[1],
      /^Prompts\/SUPPORT\/new\.prompt: Read-only: prod prompts in `support` need the `publisher` role/,
    );
    assert.match(lines[2], /^Prompts\/Shared\/tone\.prompt: Read-only: `Prompts\/Shared\/tone\.prompt` is protected/);
    assert.match(lines[3], /^prompts\/cafe\u0301\/menu\.prompt: Read-only: .* is protected/);
    // Control: an admin may.
    assert.equal(runCli(['check', '--staged'], repo.dir, as('root', 'admin')).status, 0);
  });

  it('refuses a prompt whose workspace field names a workspace its path is not in (located), and passes one that is', () => {
    repo.commitAs('root@example.com', {
      '.promptops/access.yaml': accessFile(repo.key, '  sales:\n    paths: ["prompts/sales/**"]\n'),
    });
    const inSales = REPLY.replace('env: prod', 'env: prod\nworkspace: sales');
    writeFiles(repo.dir, { 'prompts/support/escape.prompt': inSales, 'prompts/sales/pitch.prompt': inSales });
    repo.git('add', '-A');
    const r = runCli(['check', '--staged'], repo.dir, as('alice', 'editor'));
    assert.equal(r.status, 1);
    assert.equal(
      r.stdout,
      'prompts/support/escape.prompt: line 4, field workspace: workspace "sales" does not cover this file (its paths: "prompts/sales/**"); the path places it in "support": move the file, or name a workspace whose paths cover it\n',
    );
  });

  it('says how to identify yourself when it cannot tell who you are (exit 2)', () => {
    const r = runCli(['check', '--staged'], repo.dir, { PROMPTOPS_USER: '', PROMPTOPS_ROLE: '' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /who is committing is unknown: set up your SSH signing key .*promptops signing-key add/);
    assert.match(
      r.stderr,
      /or sign in with `promptops login` \(scripts: --user and --role, or PROMPTOPS_USER and PROMPTOPS_ROLE\)/,
    );
    assert.match(runCli(['check', '--user', 'alice'], repo.dir).stderr, /--user and --role go together/);
  });
});
