import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitCommandError, openGitRepository, runGit } from '../../../src/git';
import { afterLines, converseWithGit } from '../../../src/git/gitRunner';
import { tempGitRepo, writeFiles } from '../../support/cli';

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));

describe('GitCliRepository (real git)', () => {
  let dir: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });

  beforeEach(() => {
    dir = tempGitRepo({ 'prompts/a.prompt': 'A1\n', 'prompts/dev/x.prompt': 'X\n'.repeat(20), 'gone.prompt': 'G\n' });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists staged changes with the staged bytes, not the working copy', async () => {
    writeFiles(dir, { 'prompts/a.prompt': 'A2 staged\n', 'new.prompt': 'N\n' });
    git('rm', '-q', 'gone.prompt');
    mkdirSync(join(dir, 'prompts/prod'));
    git('mv', 'prompts/dev/x.prompt', 'prompts/prod/x.prompt');
    git('add', 'prompts/a.prompt', 'new.prompt');
    writeFiles(dir, { 'prompts/a.prompt': 'A3 unstaged\n' });
    const repo = await openGitRepository(join(dir, 'prompts'));
    assert.equal(
      repo.root,
      execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' }).trim(),
    );
    const staged = await repo.stagedChanges();
    assert.deepEqual(
      staged.map((c) => [c.status, c.path, c.oldPath, text(c.bytes)]).sort(),
      [
        ['A', 'new.prompt', undefined, 'N\n'],
        ['D', 'gone.prompt', undefined, undefined],
        ['M', 'prompts/a.prompt', undefined, 'A2 staged\n'],
        ['R', 'prompts/prod/x.prompt', 'prompts/dev/x.prompt', 'X\n'.repeat(20)],
      ].sort(),
    );
    const working = await repo.workingTreeChanges();
    assert.equal(text(working.find((c) => c.path === 'prompts/a.prompt')?.bytes), 'A3 unstaged\n');
    writeFiles(dir, { 'untracked.prompt': 'U\n' });
    assert.ok((await repo.workingTreeChanges()).some((c) => c.path === 'untracked.prompt' && c.status === 'A'));
  });

  it('reads files at revisions in one batch, and knows HEAD and the branch', async () => {
    const repo = await openGitRepository(dir);
    const first = await repo.head();
    writeFiles(dir, { 'prompts/a.prompt': 'A2\n' });
    const second = await repo.commit(['prompts/a.prompt'], 'edit a');
    assert.notEqual(first, second);
    assert.equal(await repo.head(), second);
    assert.equal(await repo.currentBranch(), 'main');
    const files = await repo.filesAt(first!, ['prompts/a.prompt', 'missing.prompt', 'prompts']);
    assert.equal(text(files.get('prompts/a.prompt')), 'A1\n');
    assert.equal(files.get('missing.prompt'), undefined);
    assert.equal(files.get('prompts'), undefined);
    assert.equal(text(await repo.fileAt('HEAD', 'prompts/a.prompt')), 'A2\n');
    git('checkout', '-q', '--detach');
    assert.equal(await repo.currentBranch(), undefined);
    await assert.rejects(repo.resolveCommit('no-such-branch'), /"no-such-branch" does not name a commit/);
  });

  it('reads many files at once (listing the tree) the same as a few, at a commit and in the index', async () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`many/p${i}.prompt`, `P${i}\n`]));
    writeFiles(dir, many);
    git('add', '-A');
    git('commit', '-qm', 'many');
    writeFiles(dir, { 'many/p7.prompt': 'staged\n' });
    git('add', '-A');
    const repo = await openGitRepository(dir);
    const paths = [...Object.keys(many), 'nope.prompt', 'many'];
    const atHead = await repo.filesAt('HEAD', paths);
    const staged = await repo.filesAt('', paths);
    assert.equal(text(atHead.get('many/p99.prompt')), 'P99\n');
    assert.equal(text(atHead.get('many/p7.prompt')), 'P7\n');
    assert.equal(text(staged.get('many/p7.prompt')), 'staged\n');
    assert.equal(atHead.get('nope.prompt'), undefined);
    assert.equal(staged.get('many'), undefined);
    assert.equal(text((await repo.filesAt('HEAD', ['many/p99.prompt'])).get('many/p99.prompt')), 'P99\n');
  });

  it('reads files at many revisions in one session: each distinct blob once, the same bytes object for each request', async () => {
    const repo = await openGitRepository(dir);
    const first = (await repo.head())!;
    writeFiles(dir, { 'prompts/a.prompt': 'A2\n', 'with space.prompt': 'S\n' });
    git('add', '-A');
    git('commit', '-qm', 'second');
    const second = (await repo.head())!;
    const requests = [
      { rev: first, path: 'prompts/dev/x.prompt' },
      { rev: second, path: 'prompts/dev/x.prompt' },
      { rev: first, path: 'prompts/a.prompt' },
      { rev: second, path: 'prompts/a.prompt' },
      { rev: second, path: 'with space.prompt' },
      { rev: first, path: 'with space.prompt' },
      { rev: second, path: 'prompts' },
      { rev: second, path: 'line\nbreak' },
      // Many requests (more than git can take by name in one go before): the same answers.
      ...Array.from({ length: 100 }, (_, i) => ({ rev: i % 2 ? first : second, path: 'gone.prompt' })),
    ];
    const blobs = await repo.blobsAt(requests);
    assert.equal(blobs.length, requests.length);
    assert.equal(blobs[0], blobs[1], 'the same blob at two revisions is one bytes object');
    assert.equal(text(blobs[0]), 'X\n'.repeat(20));
    assert.deepEqual(blobs.slice(2, 8).map(text), ['A1\n', 'A2\n', 'S\n', undefined, undefined, undefined]);
    assert.ok(blobs.slice(8).every((b) => b === blobs[8] && text(b) === 'G\n'));
    assert.deepEqual(await repo.blobsAt([]), []);
    assert.deepEqual(await repo.blobsAt([{ rev: 'no-such-rev', path: 'x' }]), [undefined]);
    // A git that cannot answer (here: an unknown option) fails the read, never hangs it.
    await assert.rejects(
      converseWithGit(dir, ['cat-file', '--no-such-option']).ask('info HEAD\nflush\n', afterLines(1)),
      GitCommandError,
    );
  });

  it('answers concurrent reads of files, blobs by id and commits through one reader until it is closed', async () => {
    const repo = await openGitRepository(dir);
    const first = (await repo.head())!;
    writeFiles(dir, Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`many/p${i}.prompt`, `P${i}\n`])));
    git('add', '-A');
    git('commit', '-qm', 'many');
    const second = (await repo.head())!;
    const [range] = await repo.commitsInRange(first, second);
    const added = range.changes.find((c) => c.path === 'many/p7.prompt')!;
    const reader = repo.objectReader();
    // Asked at once: each answer is its own question's, whatever the order they come back in.
    const [files, blobs, commits] = await Promise.all([
      reader.filesAt(second, [...Array.from({ length: 70 }, (_, i) => `many/p${i}.prompt`), 'nope']),
      reader.blobsAt([
        // The id a raw diff named is read as it is, without asking where the path points.
        { rev: 'no-such-rev', path: 'ignored', id: added.newId },
        { rev: first, path: 'prompts/a.prompt' },
        { rev: second, path: 'many/p7.prompt' },
      ]),
      reader.commitObjects([second, first, 'f'.repeat(40)]),
    ]);
    assert.equal(files.size, 71);
    assert.equal(text(files.get('many/p69.prompt')), 'P69\n');
    assert.equal(files.get('nope'), undefined);
    assert.deepEqual(blobs.map(text), ['P7\n', 'A1\n', 'P7\n']);
    assert.equal(blobs[0], blobs[2], 'one blob is one bytes object');
    // A whole tree's files come from a `--batch` process of their own (faster for 10,000): same bytes.
    assert.deepEqual(blobs[0], files.get('many/p7.prompt'));
    assert.match(text(commits.get(second))!, /^tree [0-9a-f]{40}\nparent /);
    assert.match(text(commits.get(first))!, /^tree /);
    assert.equal(commits.get('f'.repeat(40)), undefined);
    // A blob is not a commit, and a commit is not a file.
    assert.deepEqual([...(await reader.commitObjects([added.newId!])).values()], [undefined]);
    assert.deepEqual(await reader.blobsAt([{ rev: '', path: '', id: second }]), [undefined]);
    await reader.close();
  });

  it('lists commits in a range with their authors and changes; a merge reports only what it changed itself', async () => {
    const repo = await openGitRepository(dir);
    const base = (await repo.head())!;
    git('checkout', '-q', '-b', 'side');
    writeFiles(dir, { 'side.prompt': 'S\n' });
    git('add', '-A');
    git('-c', 'user.email=bob@example.com', 'commit', '-qm', 'side');
    git('checkout', '-q', 'main');
    writeFiles(dir, { 'prompts/a.prompt': 'A2\n' });
    git('add', '-A');
    git('-c', 'user.email=alice@example.com', 'commit', '-qm', 'main edit');
    git('-c', 'user.email=carol@example.com', 'merge', '-q', '--no-ff', '-m', 'merge side', 'side');
    const commits = await repo.commitsInRange(base, 'HEAD');
    assert.deepEqual(
      commits.map((c) => [c.authorEmail, c.subject, c.changes.map((x) => `${x.status} ${x.path}`)]).sort(),
      [
        ['alice@example.com', 'main edit', ['M prompts/a.prompt']],
        ['bob@example.com', 'side', ['A side.prompt']],
        ['carol@example.com', 'merge side', []],
      ].sort(),
    );
    assert.equal(commits.at(-1)!.parents.length, 2);
  });

  it("lists a range's merges and renames the same whatever the user's log settings say", async () => {
    const repo = await openGitRepository(dir);
    const base = (await repo.head())!;
    // Settings that change what a plain `git log` prints: none may change the range.
    for (const [k, v] of [
      ['log.diffMerges', 'first-parent'],
      ['log.showSignature', 'true'],
      ['log.showRoot', 'false'],
      ['diff.renames', 'false'],
      ['color.ui', 'always'],
    ])
      git('config', k, v);
    git('checkout', '-q', '-b', 'side');
    writeFiles(dir, { 'prompts/a.prompt': 'A side\n' });
    git('commit', '-qam', 'side edit');
    git('checkout', '-q', 'main');
    git('mv', 'prompts/dev/x.prompt', 'prompts/dev/y.prompt');
    git('commit', '-qm', 'rename');
    // A merge that resolves the conflict-free merge by hand with a change of its own, and one
    // that takes one side as is (no change of its own: it differs from only one parent).
    git('merge', '-q', '--no-ff', '--no-commit', 'side');
    writeFiles(dir, { 'prompts/a.prompt': 'A merged\n' });
    git('add', '-A');
    git('commit', '-qm', 'merge with a change');
    git('checkout', '-q', '-b', 'later', 'side');
    writeFiles(dir, { 'later.prompt': 'L\n' });
    git('add', '-A');
    git('commit', '-qm', 'later');
    git('checkout', '-q', 'main');
    git('merge', '-q', '--no-ff', '-s', 'ours', '-m', 'keep ours', 'later');
    const commits = await repo.commitsInRange(base, 'HEAD');
    const bySubject = new Map(
      commits.map((c) => [c.subject, c.changes.map((x) => `${x.status} ${x.oldPath ?? ''}>${x.path}`)]),
    );
    assert.deepEqual(Object.fromEntries(bySubject), {
      'side edit': ['M >prompts/a.prompt'],
      rename: ['R prompts/dev/x.prompt>prompts/dev/y.prompt'],
      'merge with a change': ['M >prompts/a.prompt'],
      later: ['A >later.prompt'],
      'keep ours': [],
    });
    assert.deepEqual(
      commits.map((c) => c.parents.length),
      commits.map((c) => (c.subject.startsWith('merge') || c.subject === 'keep ours' ? 2 : 1)),
    );
  });

  it('works before the first commit and finds hooks under core.hooksPath', async () => {
    dir = mkdtempSync(join(tmpdir(), 'promptops-empty-'));
    git('init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'first.prompt'), 'F\n');
    git('add', '-A');
    const repo = await openGitRepository(dir);
    assert.equal(await repo.head(), undefined);
    assert.deepEqual(
      (await repo.stagedChanges()).map((c) => [c.status, c.path, text(c.bytes)]),
      [['A', 'first.prompt', 'F\n']],
    );
    assert.equal(await repo.hooksDir(), join(repo.root, '.git/hooks'));
    git('config', 'core.hooksPath', 'tools/hooks');
    assert.equal(await repo.hooksDir(), join(repo.root, 'tools/hooks'));
  });

  it('commits with extra environment that hooks see (who is committing), without leaking it into later commands', async () => {
    const repo = await openGitRepository(dir);
    const hook = join(dir, '.git/hooks/pre-commit');
    writeFileSync(
      hook,
      '#!/bin/sh\n[ -n "$PROMPTOPS_USER" ] || { echo "no PROMPTOPS_USER" >&2; exit 1; }\necho "$PROMPTOPS_USER:$PROMPTOPS_ROLE" > "$(git rev-parse --git-dir)/who"\n',
      { mode: 0o755 },
    );
    writeFiles(dir, { 'prompts/a.prompt': 'A2\n' });
    const sha = await repo.commit(['prompts/a.prompt'], 'as carol', {
      PROMPTOPS_USER: 'carol',
      PROMPTOPS_ROLE: 'editor',
    });
    assert.equal(git('rev-parse', 'HEAD').trim(), sha);
    assert.equal(execFileSync('cat', [join(dir, '.git/who')], { encoding: 'utf8' }), 'carol:editor\n');
    writeFiles(dir, { 'prompts/a.prompt': 'A3\n' });
    await assert.rejects(repo.commit(['prompts/a.prompt'], 'nobody'), /no PROMPTOPS_USER/);
  });

  it('commits nothing (undefined) when the paths are unchanged, known from the index, not from a message', async () => {
    const repo = await openGitRepository(dir);
    const before = await repo.head();
    git('add', 'gone.prompt'); // staged elsewhere: not part of this commit
    writeFiles(dir, { 'new.prompt': 'N\n' });
    git('add', 'new.prompt');
    assert.equal(await repo.commit(['prompts/a.prompt'], 'no change'), undefined);
    assert.equal(await repo.head(), before);
    writeFiles(dir, { 'prompts/a.prompt': 'A2\n' });
    const sha = await repo.commit(['prompts/a.prompt'], 'one file');
    assert.ok(sha && sha !== before);
    assert.deepEqual(git('show', '--name-only', '--format=', 'HEAD').trim().split('\n'), ['prompts/a.prompt']);
    assert.match(git('status', '--porcelain'), /^A {2}new\.prompt$/m, 'what was staged before stays staged');
  });

  it('runs every git with a fixed locale, whatever the caller’s, and reports failures by exit code', async () => {
    const saved = { LC_ALL: process.env.LC_ALL, LANGUAGE: process.env.LANGUAGE, LANG: process.env.LANG };
    // C.UTF-8 with LANGUAGE=de makes an unpinned git speak German wherever its translations are installed.
    Object.assign(process.env, { LC_ALL: 'C.UTF-8', LANGUAGE: 'de', LANG: 'de_DE.UTF-8' });
    try {
      // A shell alias prints the environment git (and so its hooks) runs with.
      const env = (await runGit(dir, ['-c', 'alias.probe=!env', 'probe'])).stdout.toString('utf8');
      assert.match(env, /^LC_ALL=C$/m);
      assert.doesNotMatch(env, /^LANGUAGE=/m);
      const failed = await runGit(dir, ['rev-parse', '--verify', 'no-such-rev']).catch((e: unknown) => e);
      assert.ok(failed instanceof GitCommandError);
      assert.equal(failed.exitCode, 128);
      assert.doesNotMatch(failed.stderr, /Schwerwiegend/);
      const differs = await runGit(dir, ['diff', '--quiet', 'HEAD~0', '--', 'prompts'], { okExitCodes: [0, 1] });
      assert.equal(differs.exitCode, 0);
    } finally {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  });
});
