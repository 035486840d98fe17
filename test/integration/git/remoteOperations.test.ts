import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openGitRepository, parsePushPorcelain, pushRefStatus } from '../../../src/git';
import { BareRemote, git } from '../../support/bareRemote';

describe('git push --porcelain (captured text)', () => {
  it('tells a pushed, a stale and a remote-rejected ref apart', () => {
    const captured = [
      'To /tmp/remote.git',
      ' \tHEAD:refs/heads/main\t3dca043..247c156',
      '*\tHEAD:refs/heads/promptops/publish-7\t[new branch]',
      '=\trefs/heads/x:refs/heads/x\t[up to date]',
      '!\tHEAD:refs/heads/a\t[rejected] (fetch first)',
      '!\tHEAD:refs/heads/b\t[rejected] (non-fast-forward)',
      '!\tHEAD:refs/heads/c\t[remote rejected] (pre-receive hook declined)',
      'Done',
    ].join('\n');
    const refs = parsePushPorcelain(captured);
    assert.deepEqual(
      refs.map((r) => [r.to, pushRefStatus(r)]),
      [
        ['refs/heads/main', 'pushed'],
        ['refs/heads/promptops/publish-7', 'pushed'],
        ['refs/heads/x', 'up-to-date'],
        ['refs/heads/a', 'stale'],
        ['refs/heads/b', 'stale'],
        ['refs/heads/c', 'remote-rejected'],
      ],
    );
  });
});

describe('GitCliRepository against a bare remote (real git)', function () {
  this.timeout(30_000);
  let top: string;
  let team: BareRemote;
  let remote: string;
  const commitFile = (dir: string, path: string, text: string) => {
    writeFileSync(join(dir, path), text);
    git(dir, 'add', path);
    git(dir, 'commit', '-qm', `write ${path}`);
  };

  beforeEach(() => {
    top = mkdtempSync(join(tmpdir(), 'promptops-remote-'));
    team = new BareRemote(top);
    remote = team.path;
    const seed = team.clone('seed');
    commitFile(seed, 'a.txt', 'one\n');
    commitFile(seed, 'b.txt', 'two\n');
    git(seed, 'push', '-q', 'origin', 'main');
  });
  afterEach(() => rmSync(top, { recursive: true, force: true }));

  it("reads a remote's URL and the remote-tracking tip without the network (none before a fetch)", async () => {
    const a = await openGitRepository(team.clone('a'));
    const b = await openGitRepository(team.clone('b'));
    assert.equal(await a.remoteUrl('origin'), `file://${remote}`);
    assert.equal(await a.remoteUrl('nope'), undefined);
    assert.equal(await a.remoteTrackingTip('origin', 'nope'), undefined);
    const before = await b.remoteTrackingTip('origin', 'main');
    assert.equal(before, await b.head(), 'a fresh clone knows the tip it cloned');
    commitFile(a.root, 'a.txt', 'from a\n');
    git(a.root, 'push', '-q', 'origin', 'main');
    assert.equal(await b.remoteTrackingTip('origin', 'main'), before, 'no fetch: still the old tip');
    await b.fetchBranch('origin', 'main');
    assert.equal(await b.remoteTrackingTip('origin', 'main'), await a.head());
  });

  it('knows the default branch, fetches, and pushes: pushed, stale, refused by a hook, failed', async () => {
    const a = await openGitRepository(team.clone('a'));
    const b = await openGitRepository(team.clone('b'));
    assert.equal(await a.remoteDefaultBranch('origin'), 'main');
    assert.equal(await a.fetchBranch('origin', 'nope'), undefined);
    commitFile(a.root, 'a.txt', 'from a\n');
    assert.deepEqual(await a.push('origin', 'HEAD', 'main'), { kind: 'pushed', upToDate: false });
    assert.deepEqual(await a.push('origin', 'HEAD', 'main'), { kind: 'pushed', upToDate: true });
    commitFile(b.root, 'b.txt', 'from b\n');
    assert.equal((await b.push('origin', 'HEAD', 'main')).kind, 'stale');
    const tip = await b.fetchBranch('origin', 'main');
    assert.equal(tip, await a.head());
    assert.equal(await b.isAncestor(tip!, 'HEAD'), false);
    writeFileSync(join(remote, 'hooks/pre-receive'), '#!/bin/sh\necho "main is protected" >&2\nexit 1\n', {
      mode: 0o755,
    });
    commitFile(a.root, 'a.txt', 'again from a\n');
    const refused = await a.push('origin', 'HEAD', 'main');
    assert.equal(refused.kind, 'refused');
    assert.match(refused.kind === 'refused' ? refused.detail : '', /\[remote rejected\]/);
    const failed = await a.push(join(top, 'no-such-remote.git'), 'HEAD', 'main');
    assert.equal(failed.kind, 'failed');
  });

  it('adds and removes a detached worktree, moves a branch, restores files to HEAD, fast-forwards', async () => {
    const a = await openGitRepository(team.clone('a'));
    const dir = join(top, 'wt');
    const wt = await a.addWorktree(dir, 'origin/main');
    assert.equal(wt.root, dir);
    assert.equal(await wt.currentBranch(), undefined, 'detached');
    commitFile(dir, 'c.txt', 'three\n');
    const made = (await wt.head())!;
    await a.setBranch('promptops/kept', made);
    await a.removeWorktree(dir);
    assert.equal(existsSync(dir), false);
    assert.equal(git(a.root, 'rev-parse', 'promptops/kept').trim(), made, 'the commit stays on its branch');

    writeFileSync(join(a.root, 'a.txt'), 'edited\n');
    writeFileSync(join(a.root, 'c.txt'), 'three\n');
    git(a.root, 'add', 'c.txt');
    await a.restoreToHead(['a.txt', 'c.txt']);
    assert.equal(readFileSync(join(a.root, 'a.txt'), 'utf8'), 'one\n');
    assert.equal(existsSync(join(a.root, 'c.txt')), false);
    assert.equal(git(a.root, 'status', '--porcelain'), '');
    assert.equal(await a.isAncestor('HEAD', made), true);
    await a.fastForward(made);
    assert.equal(await a.head(), made);
  });

  it('fetches one commit it lacks (a pushed one: yes; one the remote never had or an unreachable remote: no), and finds the last commit changing a file', async () => {
    const a = await openGitRepository(team.clone('a'));
    const b = await openGitRepository(team.clone('b'));
    commitFile(a.root, 'a.txt', 'from a\n');
    const pushed = (await a.head())!;
    await a.push('origin', 'HEAD', 'main');
    commitFile(a.root, 'c.txt', 'local only\n');
    const local = (await a.head())!;

    assert.equal(await b.hasCommit(pushed), false);
    assert.equal(await b.fetchCommit('origin', pushed), true);
    assert.equal(await b.hasCommit(pushed), true);
    assert.equal(new TextDecoder().decode(await b.fileAt(pushed, 'a.txt')), 'from a\n');
    assert.equal(await b.fetchCommit('origin', local), false, 'never pushed');
    assert.equal(await b.fetchCommit(join(top, 'no-such-remote.git'), local), false);
    assert.equal(await b.fetchCommit('origin', 'not-a-sha'), false);

    assert.equal((await a.lastCommitChanging('HEAD', 'a.txt'))?.sha, pushed);
    assert.deepEqual((await a.lastCommitChanging(local, 'c.txt'))?.parents, [pushed]);
    assert.equal(await a.lastCommitChanging('HEAD', 'never.txt'), undefined);
  });

  it('says whether the clone is shallow, with the commit a revision names, in one answer', async () => {
    const full = await openGitRepository(team.clone('full'));
    const head = git(full.root, 'rev-parse', 'HEAD').trim();
    assert.deepEqual(await full.tipAndShallow(), { sha: head, shallow: false });
    assert.deepEqual(await full.tipAndShallow('HEAD'), { sha: head, shallow: false });
    const shallow = await openGitRepository(team.clone('shallow', '--depth', '1'));
    assert.deepEqual(await shallow.tipAndShallow(), { sha: head, shallow: true });
    await assert.rejects(shallow.tipAndShallow('no-such-branch'), /"no-such-branch" does not name a commit/);

    // A base for verify's range comes from the same answer; one git cannot name is left for resolveCommit's own error.
    const parent = git(full.root, 'rev-parse', 'HEAD~1').trim();
    assert.deepEqual(await full.tipAndShallow(undefined, 'HEAD~1'), { sha: head, shallow: false, base: parent });
    assert.deepEqual(await shallow.tipAndShallow('HEAD', parent), { sha: head, shallow: true });
    assert.deepEqual(await full.tipAndShallow(undefined, '--all'), { sha: head, shallow: false });
    assert.deepEqual(await full.tipAndShallow(undefined, 'HEAD~1..HEAD'), { sha: head, shallow: false });
    await assert.rejects(full.tipAndShallow('no-such-branch', 'HEAD~1'), /"no-such-branch" does not name a commit/);
  });
});
