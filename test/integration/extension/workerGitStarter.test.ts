import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { WorkerGitStarter } from '../../../src/extension/model/workerGitStarter';
import {
  GitCommandError,
  gitEnvironment,
  gitText,
  runGit,
  startGitHere,
  startGitProcessesWith,
} from '../../../src/git/gitRunner';

describe('WorkerGitStarter (the extension starts git processes off the extension host thread)', () => {
  let dir: string;
  let starter: WorkerGitStarter;
  const env = gitEnvironment();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'promptops-worker-git-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    // Bytes that are not UTF-8 text: stdout must come back exactly as stored.
    writeFileSync(join(dir, 'blob.bin'), Buffer.from([0, 255, 254, 10, 13, 128, 1]));
    git('add', 'blob.bin');
    git(
      '-c',
      'user.email=t@promptops.invalid',
      '-c',
      'user.name=t',
      '-c',
      'commit.gpgsign=false',
      'commit',
      '-qm',
      'x',
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => (starter = new WorkerGitStarter(startGitHere)));
  afterEach(() => {
    starter.dispose();
    startGitProcessesWith(startGitHere);
  });

  it('gives the same exit code and bytes as a process started on this thread, stdin included', async () => {
    for (const [args, input] of [
      [['cat-file', 'blob', 'HEAD:blob.bin'], ''],
      [['hash-object', '--stdin'], 'naïve café ✓\n'],
      [['rev-parse', '--verify', '--quiet', 'refs/heads/none'], ''],
    ] as const) {
      const here = await startGitHere(dir, args, env, input);
      const viaWorker = await starter.start(dir, args, env, input);
      assert.equal(viaWorker.exitCode, here.exitCode, args.join(' '));
      assert.deepEqual(viaWorker.stdout, here.stdout, args.join(' '));
      assert.ok(Buffer.isBuffer(viaWorker.stdout));
    }
  });

  it('answers processes started in the same turn each with its own output', async () => {
    const inputs = Array.from({ length: 8 }, (_, i) => `prompt ${i}\n`);
    const viaWorker = await Promise.all(
      inputs.map((input) => starter.start(dir, ['hash-object', '--stdin'], env, input)),
    );
    const here = await Promise.all(inputs.map((input) => startGitHere(dir, ['hash-object', '--stdin'], env, input)));
    assert.deepEqual(
      viaWorker.map((r) => r.stdout.toString()),
      here.map((r) => r.stdout.toString()),
    );
  });

  it('through runGit, refuses a failing command with git’s exit code and message, as on this thread', async () => {
    startGitProcessesWith(starter.start);
    await assert.rejects(
      runGit(dir, ['cat-file', 'blob', 'HEAD:missing.prompt']),
      (err: unknown) => err instanceof GitCommandError && err.exitCode === 128 && /missing\.prompt/.test(err.stderr),
    );
    assert.equal((await gitText(dir, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim(), 'main');
  });

  it('rejects when git cannot start in a folder that does not exist, as on this thread', async () => {
    const gone = join(dir, 'gone');
    await assert.rejects(startGitHere(gone, ['status'], env, ''), { code: 'ENOENT' });
    await assert.rejects(starter.start(gone, ['status'], env, ''), { code: 'ENOENT' });
  });

  it('fails a process in flight when it is stopped, rather than starting it twice', async () => {
    const running = starter.start(dir, ['hash-object', '--stdin'], env, 'x');
    starter.dispose();
    await assert.rejects(running, /stopped before git answered/);
    // The next process starts a new worker.
    assert.equal((await starter.start(dir, ['rev-parse', '--abbrev-ref', 'HEAD'], env, '')).exitCode, 0);
  });

  it('fails a process in flight when its worker dies, and starts later ones on this thread', async () => {
    let onThisThread = 0;
    starter.dispose();
    starter = new WorkerGitStarter((...args) => {
      onThisThread++;
      return startGitHere(...args);
    });
    assert.equal((await starter.start(dir, ['rev-parse', '--abbrev-ref', 'HEAD'], env, '')).exitCode, 0);
    const running = starter.start(dir, ['hash-object', '--stdin'], env, 'x');
    // The thread ends as a crash would end it, not through dispose().
    void (starter as unknown as { worker: { worker: Worker } }).worker.worker.terminate();
    await assert.rejects(running, /died before git answered/);
    assert.equal(onThisThread, 0);
    assert.equal((await starter.start(dir, ['rev-parse', '--abbrev-ref', 'HEAD'], env, '')).exitCode, 0);
    assert.equal(onThisThread, 1, 'the later process started on this thread');
  });
});
