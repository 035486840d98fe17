import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { upsertRelease } from '../../../src/core/release';
import { ensureBuilt, runCli } from '../../support/cli';
import { accessFile, DRAFT, gateRepo, releaseOf, REPLY, sshTeamKeys, type GateRepo } from '../../support/gateRepo';

const LOCK = '.promptops/published.yaml';
const PROD = 'prompts/support/reply.prompt';
const edited = REPLY.replace('briefly', 'in detail');

describe('promptops verify: signed commits (requireSignedCommits)', () => {
  let repo: GateRepo;
  let base: string;
  const keys = sshTeamKeys();
  before(ensureBuilt);
  beforeEach(() => {
    repo = gateRepo({ signed: true });
    base = repo.git('rev-parse', 'HEAD').trim();
  });
  afterEach(() => rmSync(repo.dir, { recursive: true, force: true }));

  const verify = () => runCli(['verify', '--base', base], repo.dir);
  const lines = (out: string) => out.trim().split('\n').filter(Boolean);

  it('judges the signer, not the email: a viewer committing as a publisher is judged as the viewer', () => {
    repo.commitAs('carol@example.com', { [PROD]: edited }, 'as carol', keys.vic);
    const r = verify();
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^prompts\/support\/reply\.prompt: commit [0-9a-f]{7} by vic \(signed with SHA256:\S+; author email carol@example\.com\): Read-only: editing prod prompts in `support` needs the `publisher` or `admin` role; you are `viewer`\./m,
    );
    // The control: carol herself, signed with her key, may change it (she is a publisher there).
    repo.git('reset', '-q', '--hard', base);
    repo.commitAs('carol@example.com', { [PROD]: edited }, 'by carol', keys.carol);
    const ok = verify();
    // Only the lock complaint remains (the prompt is published and now differs), never a commit problem.
    assert.deepEqual(
      lines(ok.stdout).filter((l) => l.includes('commit ')),
      [],
      ok.stdout,
    );
  });

  it('refuses an unsigned commit to a gated file, saying how to sign; passes one to other files', () => {
    repo.commitAs('carol@example.com', { 'prompts/support/draft.prompt': DRAFT.replace('Draft', 'Write') });
    const r = verify();
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^prompts\/support\/draft\.prompt: commit [0-9a-f]{7} is not signed: register your key and sign your commits: promptops signing-key add ~\/\.ssh\/id_ed25519\.pub --configure-git \(it registers the key and sets gpg\.format ssh, user\.signingkey and commit\.gpgsign in your clone\); then re-sign/,
    );
    repo.git('reset', '-q', '--hard', base);
    repo.commitAs('nobody@example.org', { 'README.md': '# prompts, unsigned\n' });
    const ok = verify();
    assert.equal(ok.status, 0, ok.stdout);
  });

  it('the same email in another case, unsigned or signed by someone else, gets nothing from it', () => {
    repo.commitAs('CAROL@Example.COM', { [PROD]: edited }, 'unsigned');
    assert.match(verify().stdout, /commit [0-9a-f]{7} is not signed/);
    repo.git('reset', '-q', '--hard', base);
    repo.commitAs('CAROL@Example.COM', { [PROD]: edited }, 'signed by alice', keys.alice);
    assert.match(
      verify().stdout,
      /commit [0-9a-f]{7} by alice \(signed with SHA256:\S+; author email CAROL@Example\.COM\): Read-only/,
    );
  });

  it('refuses a key registered to nobody, and a signature that no longer matches its commit', () => {
    repo.commitAs(
      'alice@example.com',
      { 'prompts/support/draft.prompt': DRAFT.replace('Draft', 'Eve') },
      'x',
      keys.eve,
    );
    assert.match(
      verify().stdout,
      /commit [0-9a-f]{7} is signed with key SHA256:\S+, which no user in the signed user directory has registered/,
    );
    repo.git('reset', '-q', '--hard', base);
    repo.commitAs(
      'alice@example.com',
      { 'prompts/support/draft.prompt': DRAFT.replace('Draft', 'Ok') },
      'x',
      keys.alice,
    );
    assert.equal(verify().status, 0);
    // Rewrite the message of alice's signed commit, keeping her signature header: it no longer matches.
    const raw = repo.git('cat-file', 'commit', 'HEAD').replace(/\n\nx\n$/, '\n\nsomething else\n');
    const sha = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], {
      cwd: repo.dir,
      input: raw,
      encoding: 'utf8',
    }).trim();
    repo.git('reset', '-q', '--hard', sha);
    assert.match(verify().stdout, /has a signature that does not match the commit/);
  });

  it('accepts a publish commit signed by the publisher, and refuses it unsigned', () => {
    const lock = upsertRelease(
      repo.git('show', `HEAD:${LOCK}`),
      releaseOf(PROD, edited, repo.key, { reviewId: 'r-2' }),
    );
    repo.commitAs('carol@example.com', { [PROD]: edited, [LOCK]: lock }, 'publish', keys.carol);
    const ok = verify();
    assert.equal(ok.status, 0, ok.stdout);
    repo.git('reset', '-q', '--hard', base);
    repo.commitAs('carol@example.com', { [PROD]: edited, [LOCK]: lock }, 'publish unsigned');
    assert.match(verify().stdout, /is not signed/);
  });

  it("a host's merge commit that changes nothing of its own needs no signature; one that does, does", () => {
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commitAs(
      'alice@example.com',
      { 'prompts/support/draft.prompt': DRAFT.replace('Draft', 'Merged') },
      'f',
      keys.alice,
    );
    repo.git('checkout', '-q', 'main');
    repo.commitAs('carol@example.com', { 'prompts/support/new.prompt': DRAFT }, 'main side', keys.carol);
    repo.git(
      '-c',
      'user.email=host@example.com',
      '-c',
      'user.name=host',
      'merge',
      '-q',
      '--no-ff',
      '--no-edit',
      'feature',
    );
    const ok = verify();
    assert.equal(ok.status, 0, ok.stdout);
    // A merge that slips in an edit of its own (an "evil merge") is judged like any commit.
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    repo.git(
      '-c',
      'user.email=host@example.com',
      '-c',
      'user.name=host',
      'merge',
      '-q',
      '--no-ff',
      '--no-commit',
      'feature',
    );
    repo.commitAs('host@example.com', { 'prompts/support/draft.prompt': DRAFT.replace('Draft', 'Evil') }, 'merge');
    assert.match(verify().stdout, /commit [0-9a-f]{7} is not signed/);
  });

  it('a trust epoch (signedCommitsFrom) exempts history that does not descend from it', () => {
    // An unsigned repository adopting signing: its history stays unsigned and passes.
    rmSync(repo.dir, { recursive: true, force: true });
    repo = gateRepo();
    base = repo.git('rev-parse', 'HEAD').trim();
    repo.commitAs('carol@example.com', { 'prompts/support/draft.prompt': DRAFT.replace('Draft', 'Old') });
    const epoch = repo.git('rev-parse', 'HEAD').trim();
    repo.git('checkout', '-q', '-b', 'old-branch', base);
    repo.commitAs('alice@example.com', { 'prompts/support/old.prompt': DRAFT }, 'old unsigned branch');
    repo.git('checkout', '-q', 'main');
    repo.commitAs('root@example.com', {
      '.promptops/access.yaml': accessFile(repo.key, `signedCommitsFrom: ${epoch}\n`),
    });
    const adopted = repo.git('rev-parse', 'HEAD').trim();
    base = adopted;
    repo.git('merge', '-q', '--no-ff', '--no-edit', 'old-branch');
    const r = verify();
    assert.equal(r.status, 0, r.stdout);
    repo.commitAs(
      'alice@example.com',
      { 'prompts/support/draft.prompt': DRAFT.replace('Draft', 'New') },
      'new unsigned',
    );
    assert.match(verify().stdout, /commit [0-9a-f]{7} is not signed/);
  });
  it('under an access file broken in the range, refuses what a non-admin commits and accepts what an admin commits', () => {
    const ACCESS = '.promptops/access.yaml';
    const broken = 'version: 1\nroles: [\n';
    const valid = accessFile(repo.key, 'requireSignedCommits: true\n');
    const draft = 'prompts/support/draft.prompt';
    // Breaking it: an editor may not (it is protected while still valid); an admin may.
    repo.commitAs('alice@example.com', { [ACCESS]: broken }, 'alice breaks it', keys.alice);
    repo.commitAs('root@example.com', { [ACCESS]: valid }, 'root repairs it', keys.root);
    const byEditor = verify();
    assert.equal(byEditor.status, 1, byEditor.stdout + byEditor.stderr);
    assert.match(
      byEditor.stdout,
      /^\.promptops\/access\.yaml: commit [0-9a-f]{7} by alice \(signed with .*only admins may change it/m,
    );

    // While it is broken, nothing can be decided: an editor's change to a prompt she may
    // otherwise edit is refused, naming the broken file.
    repo.git('reset', '-q', '--hard', base);
    repo.commitAs('root@example.com', { [ACCESS]: broken }, 'root breaks it', keys.root);
    repo.commitAs('alice@example.com', { [draft]: DRAFT.replace('Draft', 'Write') }, 'alice edits', keys.alice);
    repo.commitAs('root@example.com', { [ACCESS]: valid }, 'root repairs it', keys.root);
    const underBroken = verify();
    assert.equal(underBroken.status, 1, underBroken.stdout + underBroken.stderr);
    assert.deepEqual(
      lines(underBroken.stdout).map((l) => l.replace(/[0-9a-f]{7} by alice \(signed with \S+; /, 'C by alice (')),
      [
        'prompts/support/draft.prompt: commit C by alice (author email alice@example.com): the access file in its parent has errors, and only admins may change prompts or protected files then',
      ],
    );

    // The control: the admin breaks it, edits under it and repairs it; every commit passes.
    repo.git('reset', '-q', '--hard', base);
    repo.commitAs('root@example.com', { [ACCESS]: broken }, 'root breaks it', keys.root);
    repo.commitAs('root@example.com', { [draft]: DRAFT.replace('Draft', 'Write') }, 'root edits', keys.root);
    repo.commitAs('root@example.com', { [ACCESS]: valid }, 'root repairs it', keys.root);
    const byAdmin = verify();
    assert.equal(byAdmin.status, 0, byAdmin.stdout + byAdmin.stderr);
  });
});
