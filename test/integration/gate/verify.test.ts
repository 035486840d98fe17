import assert from 'node:assert/strict';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportPublicKeyPem, parseReleaseLock, upsertRelease } from '../../../src/core/release';
import { SYMLINK_REASON } from '../../../src/cli/gate/changeCheck';
import { runCli, ensureBuilt } from '../../support/cli';
import {
  accessFile,
  directoryFile,
  DRAFT,
  gateRepo,
  generateKey,
  releaseOf,
  REPLY,
  TEAM,
  type GateRepo,
} from '../../support/gateRepo';

const LOCK = '.promptops/published.yaml';

describe('promptops verify', () => {
  let repo: GateRepo;
  let base: string;
  before(ensureBuilt);
  beforeEach(() => {
    repo = gateRepo();
    base = repo.git('rev-parse', 'HEAD').trim();
  });
  afterEach(() => rmSync(repo.dir, { recursive: true, force: true }));

  const verify = (...args: string[]) => runCli(['verify', ...args], repo.dir);
  const lockText = () => repo.git('show', `HEAD:${LOCK}`);

  it('passes a clean repository and allowed commits, and says what it checked', () => {
    repo.commitAs('alice@example.com', { 'prompts/support/draft.prompt': DRAFT.replace('Draft', 'Write') });
    const r = verify('--base', base);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /1 published entry, 1 commit since [0-9a-f]+, key [0-9a-f]{16}: ok/);
    assert.equal(r.status, 0);
  });

  it('shows the signed evaluation run a release carries, and catches one edited by hand', () => {
    const digest = 'd'.repeat(64);
    const lock = upsertRelease(
      lockText(),
      releaseOf('prompts/support/reply.prompt', REPLY, repo.key, { evaluation: digest }),
    );
    repo.commitAs('root@example.com', { [LOCK]: lock });
    const r = verify();
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`prompts/support/reply\\.prompt \\(prod\\): evaluation run ${digest}\n`));
    assert.match(r.stderr, /1 published entry \(1 with a signed evaluation run\), key [0-9a-f]{16}: ok/);
    const json = JSON.parse(verify('--json').stdout) as { evaluated: unknown };
    assert.deepEqual(json.evaluated, [{ path: 'prompts/support/reply.prompt', env: 'prod', evaluation: digest }]);
    repo.commitAs('root@example.com', { [LOCK]: lock.replace(digest, 'e'.repeat(64)) });
    const edited = verify();
    assert.equal(edited.status, 1);
    assert.match(edited.stdout, /signature that does not verify against the trusted key/);
  });

  it('catches a prompt changed after publishing', () => {
    repo.commitAs('carol@example.com', { 'prompts/support/reply.prompt': REPLY.replace('briefly', 'with jokes') });
    const r = verify();
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^prompts\/support\/reply\.prompt: changed after publishing: its sha256 is [0-9a-f]{12}…, the prod release \(review r-1\) says [0-9a-f]{12}… \(\.promptops\/published\.yaml:\d+, sha256\)\n$/,
    );
  });

  it('catches a lock entry edited by hand', () => {
    repo.commitAs('root@example.com', { [LOCK]: lockText().replace('approvers: [carol]', 'approvers: [carol, bob]') });
    const r = verify();
    assert.equal(r.status, 1);
    assert.equal(
      r.stdout,
      `prompts/support/reply.prompt: the prod release (review r-1) has a signature that does not verify against the trusted key ${repo.key.keyId}: the lock entry was edited or forged (.promptops/published.yaml:5, signature)\n`,
    );
  });

  it('catches a forged release signed by another key, whichever key id it claims', () => {
    const forger = generateKey();
    const forgedContent = REPLY.replace('briefly', 'and leak secrets');
    const ownId = upsertRelease(lockText(), releaseOf('prompts/support/reply.prompt', forgedContent, forger));
    const claimed = upsertRelease(
      lockText(),
      releaseOf('prompts/support/reply.prompt', forgedContent, forger, { keyId: repo.key.keyId }),
    );
    repo.commitAs('root@example.com', { [LOCK]: ownId, 'prompts/support/reply.prompt': forgedContent });
    assert.match(
      verify().stdout,
      new RegExp(`names signing key ${forger.keyId}, not the trusted key ${repo.key.keyId}`),
    );
    repo.commitAs('root@example.com', { [LOCK]: claimed });
    const r = verify();
    assert.equal(r.status, 1);
    assert.match(r.stdout, /signature that does not verify against the trusted key/);
  });

  it('locates a malformed lock file', () => {
    repo.commitAs('root@example.com', { [LOCK]: lockText().replace(/sha256: .*/, 'sha256: nope') });
    const r = verify();
    assert.equal(r.status, 1);
    assert.equal(
      r.stdout,
      '.promptops/published.yaml:9:13: releases[0].sha256: expected the sha256 of the file as 64 lowercase hex digits\n',
    );
  });

  it("catches a commit by an author who may not change what they changed, decided with the parent's access file", () => {
    repo.commitAs('vic@example.com', { 'prompts/support/other.prompt': REPLY }, 'sneak a prod prompt in');
    repo.commitAs('alice@example.com', {
      '.promptops/access.yaml': accessFile(repo.key).replace(
        '{ carol: publisher }',
        '{ carol: publisher, alice: publisher }',
      ),
    });
    const r = verify('--base', base);
    assert.equal(r.status, 1);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2, r.stdout);
    assert.match(
      lines[0],
      /^prompts\/support\/other\.prompt: commit [0-9a-f]{7} by vic <vic@example\.com>: Read-only: creating prod prompts in `support` needs the `publisher` or `admin` role; you are `viewer`\.$/,
    );
    assert.match(
      lines[1],
      /^\.promptops\/access\.yaml: commit [0-9a-f]{7} by alice <alice@example\.com>: Read-only: `\.promptops\/access\.yaml` is protected/,
    );
  });

  it('catches commits by an unknown email and by a user removed from the directory', () => {
    repo.commitAs('stranger@example.org', { 'prompts/support/draft.prompt': DRAFT.replace('Draft', 'Hack') });
    repo.commitAs('alice@example.com', { 'prompts/support/draft.prompt': DRAFT.replace('Draft', 'Polish') });
    // The server re-issues the directory without alice (committed by the admin).
    repo.commitAs('root@example.com', {
      '.promptops/directory.yaml': directoryFile(
        repo.key,
        TEAM.filter((u) => u.username !== 'alice'),
      ),
    });
    const r = verify('--base', base);
    assert.equal(r.status, 1);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2, r.stdout);
    assert.match(
      lines[0],
      /^prompts\/support\/draft\.prompt: commit [0-9a-f]{7} is by <stranger@example\.org>, who is not in the signed user directory$/,
    );
    assert.match(
      lines[1],
      /^prompts\/support\/draft\.prompt: commit [0-9a-f]{7} is by <alice@example\.com>, who is not in the signed user directory$/,
    );
  });

  it('refuses a directory edited by hand (a viewer promoting themselves)', () => {
    const promoted = repo
      .git('show', 'HEAD:.promptops/directory.yaml')
      .replace(/(username: vic\n\s+role: )viewer/, '$1admin');
    repo.commitAs('root@example.com', { '.promptops/directory.yaml': promoted });
    repo.commitAs('vic@example.com', { 'prompts/support/reply.prompt': REPLY.replace('briefly', 'slowly') });
    const r = verify('--base', base);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^\.promptops\/directory\.yaml: its signature does not verify against the trusted key/m);
    // The base's directory still says who vic is.
    assert.match(
      r.stdout,
      /reply\.prompt: commit [0-9a-f]{7} by vic <vic@example\.com>: Read-only: editing prod prompts in `support` needs the `publisher` or `admin` role; you are `viewer`\./,
    );
  });

  it('takes trust from the base: one commit pinning an attacker key, with a lock entry and a directory signed by it, fails', () => {
    const attacker = generateKey();
    const forged = REPLY.replace('briefly', 'and paste the customer database');
    const vicAsAdmin = TEAM.map((u) => (u.username === 'vic' ? { ...u, role: 'admin' as const } : u));
    repo.commitAs(
      'vic@example.com',
      {
        '.promptops/access.yaml': accessFile(attacker),
        '.promptops/directory.yaml': directoryFile(attacker, vicAsAdmin),
        [LOCK]: upsertRelease(undefined, releaseOf('prompts/support/reply.prompt', forged, attacker)),
        'prompts/support/reply.prompt': forged,
      },
      'rotate keys',
    );
    const r = verify('--base', base);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`key ${repo.key.keyId}: 5 problems`));
    const lines = r.stdout.trim().split('\n');
    assert.match(
      lines[0],
      new RegExp(
        `^prompts/support/reply\\.prompt: the prod release \\(review r-1\\) names signing key ${attacker.keyId}, not the trusted key ${repo.key.keyId}`,
      ),
    );
    assert.match(lines[1], /^\.promptops\/directory\.yaml: its signature does not verify against the trusted key/);
    assert.match(
      lines[2],
      /^\.promptops\/access\.yaml: commit [0-9a-f]{7} by vic <vic@example\.com>: Read-only: `\.promptops\/access\.yaml` is protected/,
    );
    assert.match(lines[3], /^\.promptops\/directory\.yaml: commit [0-9a-f]{7} by vic <vic@example\.com>: Read-only/);
    assert.match(
      lines[4],
      /^prompts\/support\/reply\.prompt: commit [0-9a-f]{7} by vic <vic@example\.com>: Read-only: editing prod prompts/,
    );
    // Even an admin cannot move trust inside the range: the base's key still judges the lock.
    repo.git('reset', '-q', '--hard', base);
    repo.commitAs('root@example.com', {
      '.promptops/access.yaml': accessFile(attacker),
      '.promptops/directory.yaml': directoryFile(attacker),
      [LOCK]: upsertRelease(undefined, releaseOf('prompts/support/reply.prompt', forged, attacker)),
      'prompts/support/reply.prompt': forged,
    });
    const byAdmin = verify('--base', base);
    assert.equal(byAdmin.status, 1);
    assert.deepEqual(
      byAdmin.stdout
        .trim()
        .split('\n')
        .map((l) => l.replace(/:.*/, '')),
      ['prompts/support/reply.prompt', '.promptops/directory.yaml'],
    );
  });

  it("judges each commit by the base's access file too: a role granted inside the range does not count yet", () => {
    const grant = accessFile(repo.key).replace('{ carol: publisher }', '{ carol: publisher, alice: publisher }');
    repo.commitAs('root@example.com', { '.promptops/access.yaml': grant }, 'make alice a publisher');
    repo.commitAs('carol@example.com', { 'prompts/support/draft.prompt': DRAFT.replace('Draft', 'Write') });
    repo.commitAs(
      'root@example.com',
      {
        '.promptops/directory.yaml': directoryFile(repo.key, [
          ...TEAM,
          { username: 'dave', role: 'editor', emails: ['dave@example.com'] },
        ]),
      },
      'directory re-issued',
    );
    const allowed = verify('--base', base);
    assert.equal(allowed.status, 0, allowed.stdout);
    assert.match(allowed.stderr, /3 commits since/);

    repo.commitAs('alice@example.com', { 'prompts/support/reply.prompt': REPLY.replace('briefly', 'tersely') });
    const r = verify('--base', base);
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^prompts\/support\/reply\.prompt: commit [0-9a-f]{7} by alice <alice@example\.com>: Read-only: .*\(under the base's access file\)$/m,
    );
    // Once the grant is in the base, the same edit is judged by it.
    const later = repo.git('rev-parse', 'HEAD~1').trim();
    const next = verify('--base', later);
    assert.equal(next.stdout.split('\n').filter((l) => l.includes('commit ')).length, 0, next.stdout);
  });

  it('refuses the lock or the .promptops folder committed as a symlink (--no-verify), and passes other links', () => {
    rmSync(join(repo.dir, LOCK));
    symlinkSync('/etc/hostname', join(repo.dir, LOCK));
    repo.commitAs('carol@example.com', {}, 'lock as a link');
    let r = verify('--base', base);
    assert.equal(r.status, 1);
    const symlinkLines = r.stdout.split('\n').filter((l) => l.endsWith(SYMLINK_REASON));
    assert.deepEqual(
      symlinkLines.map((l) => l.replace(/:.*/, '')),
      ['.promptops/published.yaml', '.promptops/published.yaml'],
    );
    assert.match(r.stdout, /^\.promptops\/published\.yaml: commit [0-9a-f]{7} by carol/m);
    // Without --base, the link at HEAD is still refused.
    assert.ok(verify().stdout.includes(`.promptops/published.yaml: ${SYMLINK_REASON}`));

    repo.git('reset', '-q', '--hard', base);
    rmSync(join(repo.dir, '.promptops'), { recursive: true });
    symlinkSync('/tmp', join(repo.dir, '.promptops'));
    repo.commitAs('root@example.com', {}, 'promptops folder as a link');
    r = verify('--base', base);
    assert.equal(r.status, 1);
    assert.ok(r.stdout.includes(`.promptops: ${SYMLINK_REASON}`), r.stdout);

    repo.git('reset', '-q', '--hard', base);
    symlinkSync('../README.md', join(repo.dir, 'prompts/README.md'));
    repo.commitAs('alice@example.com', {}, 'a harmless link');
    r = verify('--base', base);
    assert.equal(r.status, 0, r.stdout);
  });

  it('judges protected paths and workspaces case-insensitively: .PromptOps/ and Prompts/Support/ do not escape', () => {
    repo.commitAs('vic@example.com', {
      '.PromptOps/access.yaml': accessFile(generateKey()),
      'Prompts/Support/sneaky.prompt': REPLY,
    });
    const r = verify('--base', base);
    assert.equal(r.status, 1);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2, r.stdout);
    assert.match(
      lines[0],
      /^\.PromptOps\/access\.yaml: commit [0-9a-f]{7} by vic <vic@example\.com>: Read-only: .* is protected/,
    );
    assert.match(lines[1], /^Prompts\/Support\/sneaky\.prompt: commit [0-9a-f]{7} by vic .*prod prompts in `support`/);
  });

  it('refuses a commit whose prompt names a workspace its path is not in, and passes one that is', () => {
    repo.commitAs('root@example.com', {
      '.promptops/access.yaml': accessFile(repo.key, '  sales:\n    paths: ["prompts/sales/**"]\n'),
    });
    const base2 = repo.git('rev-parse', 'HEAD').trim();
    const inSales = REPLY.replace('env: prod', 'env: prod\nworkspace: sales');
    repo.commitAs('alice@example.com', { 'prompts/sales/pitch.prompt': inSales });
    assert.equal(verify('--base', base2).status, 0);
    repo.commitAs('alice@example.com', { 'prompts/support/escape.prompt': inSales });
    const r = verify('--base', base2);
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^prompts\/support\/escape\.prompt: commit [0-9a-f]{7} by alice <alice@example\.com>: line 4, field workspace: workspace "sales" does not cover this file/,
    );
  });

  it('accepts a publish commit whose content is a signed release, even by someone who may not edit prod', () => {
    const next = REPLY.replace('briefly', 'briefly and kindly');
    const release = releaseOf('prompts/support/reply.prompt', next, repo.key, { reviewId: 'r-2' });
    repo.commitAs(
      'alice@example.com',
      { 'prompts/support/reply.prompt': next, [LOCK]: upsertRelease(lockText(), release) },
      'publish r-2',
    );
    const r = verify('--base', base);
    assert.equal(r.status, 0, r.stdout);
    assert.equal(parseReleaseLock(lockText()).entries![0].release.reviewId, 'r-2');
  });

  it('uses --public-key over the access file, and fails with exit 2 when there is no key at all', () => {
    const other = generateKey();
    writeFileSync(join(repo.dir, 'other.pem'), exportPublicKeyPem(other.publicKey));
    const r = verify('--public-key', 'other.pem');
    assert.equal(r.status, 1);
    assert.match(r.stdout, new RegExp(`names signing key ${repo.key.keyId}, not the trusted key ${other.keyId}`));
    repo.commitAs('root@example.com', { '.promptops/access.yaml': accessFile(undefined) });
    const none = verify();
    assert.equal(none.status, 2);
    assert.match(
      none.stderr,
      /no public key to verify against: pin the server's key as `publicKey` in \.promptops\/access\.yaml, or pass --public-key FILE/,
    );
    writeFileSync(join(repo.dir, 'bad.pem'), 'hello');
    assert.match(verify('--public-key', 'bad.pem').stderr, /bad\.pem: the public key is neither/);
    assert.equal(verify('--public-key', 'other.pem', '--json').status, 1);
  });

  it('reports a published file that is gone', () => {
    repo.git('rm', '-q', 'prompts/support/reply.prompt');
    repo.git('commit', '-qm', 'rm', '--no-verify');
    const r = verify();
    assert.equal(
      r.stdout,
      'prompts/support/reply.prompt: published as the prod release (review r-1), but the file is not there (.promptops/published.yaml:5, path)\n',
    );
  });

  describe('line endings', () => {
    const warningLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('warning: '));

    it('warns, without failing, when core.autocrlf would rewrite published prompts on checkout', () => {
      repo.git('config', 'core.autocrlf', 'true');
      const r = verify('--json');
      assert.equal(r.status, 0, 'a warning is not a failure');
      const report = JSON.parse(r.stdout) as { problems: unknown[]; warnings: { setting: string; paths: string[] }[] };
      assert.deepEqual(report.problems, []);
      assert.deepEqual(
        report.warnings.map((w) => [w.setting, w.paths]),
        [['core.autocrlf=true', ['prompts/support/reply.prompt']]],
      );
      const text = verify();
      assert.equal(text.status, 0);
      assert.equal(text.stdout, '');
      const [line, ...more] = warningLines(text.stderr);
      assert.deepEqual(more, []);
      assert.match(
        line,
        /^warning: core\.autocrlf=true: .*1 published prompt on checkout \(prompts\/support\/reply\.prompt\)/,
      );
      assert.match(line, /HASH_MISMATCH.*promptops init.*-text/);
      assert.match(text.stderr, /: ok \(1 warning\)\n$/);
    });

    it('warns about a text or eol attribute set for a published prompt', () => {
      repo.commitAs('root@example.com', { '.gitattributes': '*.prompt text eol=crlf\n' });
      const [line, ...more] = warningLines(verify().stderr);
      assert.deepEqual(more, []);
      assert.match(line, /^warning: text: the git attribute text makes git rewrite .*prompts\/support\/reply\.prompt/);
      repo.commitAs('root@example.com', { '.gitattributes': '*.prompt eol=lf\n' });
      assert.match(verify().stderr, /^warning: eol=lf: /m);
    });

    it('says nothing when -text keeps prompt bytes, whatever core.autocrlf says', () => {
      repo.commitAs('root@example.com', { '.gitattributes': '*.prompt text\n*.prompt -text\n' });
      repo.git('config', 'core.autocrlf', 'true');
      const r = verify();
      assert.equal(r.status, 0, r.stdout);
      assert.deepEqual(warningLines(r.stderr), []);
      assert.match(r.stderr, /: ok\n$/);
    });
  });
});
