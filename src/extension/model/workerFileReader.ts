import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

/** The worker's whole program: read each batch of files synchronously, off the extension host's thread. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
parentPort.on('message', ({ id, paths }) => {
  const texts = paths.map((path) => {
    try { return readFileSync(path, 'utf8'); } catch { return null; }
  });
  parentPort.postMessage({ id, texts });
});
`;

/** An idle worker is stopped after this long; the next read starts a new one. */
const IDLE_MS = 5_000;

interface Batch {
  paths: string[];
  resolvers: ((text: string | undefined) => void)[];
}

/**
 * Reads files' text on a worker thread, the reads asked for in one turn of the event loop as
 * one message. Through fs/promises each file costs the extension host's thread an open, fstat,
 * read and close callback with their promises; 10,000 prompts were ~0.2 s of its time and much
 * of its garbage (bench:activation's CPU profile). Undefined for a file that cannot be read, as
 * fs/promises' caller had it. Without a worker (it could not start, or died) it reads as before.
 */
export class WorkerFileReader {
  private worker: Worker | undefined;
  private broken = false;
  private nextId = 0;
  private readonly waiting = new Map<number, Batch>();
  private batch: Batch | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  read(path: string): Promise<string | undefined> {
    if (this.broken) return readOnThisThread(path);
    return new Promise((resolve) => {
      if (!this.batch) {
        this.batch = { paths: [], resolvers: [] };
        queueMicrotask(() => this.send());
      }
      this.batch.paths.push(path);
      this.batch.resolvers.push(resolve);
    });
  }

  /** Stops the worker; reads it had not answered are read on this thread. */
  dispose(): void {
    clearTimeout(this.idleTimer);
    void this.worker?.terminate();
    this.worker = undefined;
    for (const batch of this.waiting.values()) this.fallBack(batch);
    this.waiting.clear();
  }

  private send(): void {
    const batch = this.batch!;
    this.batch = undefined;
    const worker = this.started();
    if (!worker) {
      this.fallBack(batch);
      return;
    }
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    this.waiting.set(id, batch);
    worker.postMessage({ id, paths: batch.paths });
  }

  private started(): Worker | undefined {
    if (this.worker) return this.worker;
    if (this.broken) return undefined;
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      // Never what keeps the extension host alive.
      worker.unref();
      worker.on('message', ({ id, texts }: { id: number; texts: (string | null)[] }) => {
        const batch = this.waiting.get(id);
        this.waiting.delete(id);
        batch?.resolvers.forEach((resolve, i) => resolve(texts[i] ?? undefined));
        if (this.waiting.size === 0) this.stopWhenIdle(worker);
      });
      const lost = () => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.broken = true;
        for (const batch of this.waiting.values()) this.fallBack(batch);
        this.waiting.clear();
      };
      worker.on('error', lost);
      worker.on('exit', lost);
      this.worker = worker;
      return worker;
    } catch {
      this.broken = true;
      return undefined;
    }
  }

  private stopWhenIdle(worker: Worker): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.worker !== worker || this.waiting.size > 0) return;
      this.worker = undefined;
      void worker.terminate();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  private fallBack(batch: Batch): void {
    batch.paths.forEach((path, i) => void readOnThisThread(path).then(batch.resolvers[i]));
  }
}

async function readOnThisThread(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
