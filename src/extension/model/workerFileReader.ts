import { readdir, readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { DirEntry } from '../../core/index/fileSystem';
import { OnDemandWorker } from './onDemandWorker';

/**
 * The worker's whole program: answer each batch synchronously, off the extension host's thread.
 * A request is a file to read (its text, or null) or, with `list`, a folder to list (its entries
 * as the index wants them, or null): the host's thread only takes the cloned answer.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { readFileSync, readdirSync } = require('node:fs');
const kindOf = (e) => (e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other');
parentPort.on('message', ({ id, request: { paths, lists } }) => {
  const reply = paths.map((path, i) => {
    try {
      return lists[i]
        ? readdirSync(path, { withFileTypes: true }).map((e) => ({ name: e.name, kind: kindOf(e) }))
        : readFileSync(path, 'utf8');
    } catch { return null; }
  });
  parentPort.postMessage({ id, reply });
});
`;

type Answer = string | DirEntry[] | undefined;

interface Batch {
  paths: string[];
  /** Per path: list the folder instead of reading the file. */
  lists: boolean[];
  resolvers: ((answer: Answer) => void)[];
}

/**
 * Reads files' text and lists folders on a worker thread, the requests of one turn of the event
 * loop as one message. Through fs/promises each file costs the extension host's thread an open,
 * fstat, read and close callback with their promises, and each listing its Dirent objects; 10,000
 * prompts were ~0.2 s of its time and much of its garbage (bench:activation's CPU profile).
 * Undefined for a file or folder that cannot be read, as fs/promises' caller had it. Without a
 * worker (it could not start, or died) it reads as before.
 */
export class WorkerFileReader {
  private readonly worker = new OnDemandWorker<{ paths: string[]; lists: boolean[] }, (string | DirEntry[] | null)[]>(
    () => new Worker(WORKER_SOURCE, { eval: true }),
  );
  private batch: Batch | undefined;

  read(path: string): Promise<string | undefined> {
    return this.ask(path, false) as Promise<string | undefined>;
  }

  /** The folder's entries (symlinks are `other`, as `readdir` with file types has them). */
  readDir(path: string): Promise<DirEntry[] | undefined> {
    return this.ask(path, true) as Promise<DirEntry[] | undefined>;
  }

  private ask(path: string, list: boolean): Promise<Answer> {
    return new Promise((resolve) => {
      if (!this.batch) {
        this.batch = { paths: [], lists: [], resolvers: [] };
        queueMicrotask(() => this.send());
      }
      this.batch.paths.push(path);
      this.batch.lists.push(list);
      this.batch.resolvers.push(resolve);
    });
  }

  /** Stops the worker; reads it had not answered are read on this thread. */
  dispose(): void {
    this.worker.stop();
  }

  private send(): void {
    const batch = this.batch!;
    this.batch = undefined;
    const posted = this.worker.post(
      { paths: batch.paths, lists: batch.lists },
      {
        replied: (answers) => batch.resolvers.forEach((resolve, i) => resolve(answers[i] ?? undefined)),
        lost: () => this.fallBack(batch),
      },
    );
    if (!posted) this.fallBack(batch);
  }

  private fallBack(batch: Batch): void {
    batch.paths.forEach((path, i) => void onThisThread(path, batch.lists[i]).then(batch.resolvers[i]));
  }
}

async function onThisThread(path: string, list: boolean): Promise<Answer> {
  try {
    if (!list) return await readFile(path, 'utf8');
    const entries = await readdir(path, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, kind: e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other' }));
  } catch {
    return undefined;
  }
}
