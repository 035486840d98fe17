import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { WorkerFileReader } from '../../../src/extension/model/workerFileReader';

describe('WorkerFileReader (the index reads prompt files off the extension host thread)', () => {
  let dir: string;
  let reader: WorkerFileReader;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'promptops-worker-reader-'));
    reader = new WorkerFileReader();
  });
  afterEach(() => {
    reader.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every read of one turn with its own file, as UTF-8 text', async () => {
    const paths = Array.from({ length: 300 }, (_, i) => join(dir, `p${i}.prompt`));
    paths.forEach((p, i) => writeFileSync(p, `---\nenv: prod\n---\nAgent ${i}: naïve café ✓\n`));
    const texts = await Promise.all(paths.map((p) => reader.read(p)));
    texts.forEach((text, i) => assert.equal(text, `---\nenv: prod\n---\nAgent ${i}: naïve café ✓\n`));
  });

  it('gives undefined for a missing file and for a folder, and still reads the others', async () => {
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'a.prompt'), 'a');
    const [missing, folder, present] = await Promise.all([
      reader.read(join(dir, 'gone.prompt')),
      reader.read(join(dir, 'folder')),
      reader.read(join(dir, 'a.prompt')),
    ]);
    assert.equal(missing, undefined);
    assert.equal(folder, undefined);
    assert.equal(present, 'a');
  });

  it('reads the file as it is now on a later read, after its worker was stopped', async () => {
    const path = join(dir, 'a.prompt');
    writeFileSync(path, 'before');
    assert.equal(await reader.read(path), 'before');
    reader.dispose();
    writeFileSync(path, 'after');
    assert.equal(await reader.read(path), 'after');
  });

  it('still answers reads in flight when it is stopped', async () => {
    const path = join(dir, 'a.prompt');
    writeFileSync(path, 'text');
    const reading = reader.read(path);
    await new Promise((resolve) => setImmediate(resolve));
    reader.dispose();
    assert.equal(await reading, 'text');
  });

  it('still answers reads in flight when its worker dies, and reads on this thread from then on', async () => {
    const path = join(dir, 'a.prompt');
    writeFileSync(path, 'text');
    assert.equal(await reader.read(path), 'text');
    const reading = reader.read(path);
    await new Promise((resolve) => setImmediate(resolve));
    const threads = (reader as unknown as { worker: { worker: Worker | undefined } }).worker;
    // The thread ends as a crash would end it, not through dispose().
    void threads.worker!.terminate();
    assert.equal(await reading, 'text');
    writeFileSync(path, 'later');
    assert.equal(await reader.read(path), 'later');
    assert.equal(threads.worker, undefined, 'no new thread was started for it');
  });

  it('lists folders in the same batch as reads: files, subfolders and symlinks as the index sees them', async () => {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'x.prompt'), 'x');
    mkdirSync(join(dir, 'a', 'sub'));
    symlinkSync(join(dir, 'b'), join(dir, 'a', 'link'));
    const [a, b, missing, file, text] = await Promise.all([
      reader.readDir(join(dir, 'a')),
      reader.readDir(join(dir, 'b')),
      reader.readDir(join(dir, 'gone')),
      reader.readDir(join(dir, 'a', 'x.prompt')),
      reader.read(join(dir, 'a', 'x.prompt')),
    ]);
    const byName = (x: { name: string }, y: { name: string }) => x.name.localeCompare(y.name);
    assert.deepEqual(a?.sort(byName), [
      { name: 'link', kind: 'other' },
      { name: 'sub', kind: 'dir' },
      { name: 'x.prompt', kind: 'file' },
    ]);
    assert.deepEqual(b, []);
    assert.equal(missing, undefined);
    assert.equal(file, undefined);
    assert.equal(text, 'x');
  });

  it('lists on this thread, the same entries, once its worker is gone', async () => {
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'x.prompt'), 'x');
    const fromWorker = await reader.readDir(join(dir, 'a'));
    (reader as unknown as { worker: { broken: boolean } }).worker.broken = true;
    assert.deepEqual(await reader.readDir(join(dir, 'a')), fromWorker);
    assert.equal(await reader.readDir(join(dir, 'gone')), undefined);
  });
});
