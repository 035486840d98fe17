import { Worker } from 'node:worker_threads';
import type { GitProcessResult, GitProcessStarter } from '../../git/gitRunner';

/**
 * The worker's whole program: start each git process asked for and send back its exit code
 * and output (what `startGitHere` in src/git/gitRunner.ts does on the calling thread).
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { spawn } = require('node:child_process');
parentPort.on('message', ({ id, cwd, args, env, input }) => {
  let answered = false;
  const answer = (message) => {
    if (answered) return;
    answered = true;
    parentPort.postMessage({ id, ...message });
  };
  try {
    const child = spawn('git', args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', (e) => answer({ error: { message: e.message, code: e.code } }));
    child.on('close', (exitCode) => answer({ exitCode, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  } catch (e) {
    answer({ error: { message: String((e && e.message) || e), code: e && e.code } });
  }
});
`;

/** An idle worker is stopped after this long; the next process starts a new one. */
const IDLE_MS = 5_000;

interface Answer {
  id: number;
  exitCode?: number | null;
  stdout?: Uint8Array;
  stderr?: Uint8Array;
  error?: { message: string; code?: string };
}

interface Waiting {
  resolve: (result: GitProcessResult) => void;
  reject: (err: Error) => void;
}

/**
 * Starts git processes from a worker thread. Starting a process forks the extension host,
 * which blocks the thread that asks for as long as the fork takes: 20–150 ms each on the
 * host's thread under load, several per refresh of the git state (bench:activation's CPU
 * profile). From a worker the host's thread only posts a message. Without a worker (it could
 * not start, or died) processes start on this thread, as before; one the worker had been
 * asked for when it died fails (it may have run: a commit must not run twice).
 */
export class WorkerGitStarter {
  private worker: Worker | undefined;
  private broken = false;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly startHere: GitProcessStarter) {}

  readonly start: GitProcessStarter = (cwd, args, env, input) => {
    const worker = this.started();
    if (!worker) return this.startHere(cwd, args, env, input);
    clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, cwd, args: [...args], env, input });
    });
  };

  /** Stops the worker; processes it had not answered for fail. */
  dispose(): void {
    clearTimeout(this.idleTimer);
    void this.worker?.terminate();
    this.worker = undefined;
    this.failWaiting('stopped');
  }

  private started(): Worker | undefined {
    if (this.worker) return this.worker;
    if (this.broken) return undefined;
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      // Never what keeps the extension host alive.
      worker.unref();
      worker.on('message', (answer: Answer) => this.answered(answer, worker));
      const lost = () => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.broken = true;
        this.failWaiting('died');
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

  private answered({ id, exitCode, stdout, stderr, error }: Answer, worker: Worker): void {
    const waiting = this.waiting.get(id);
    this.waiting.delete(id);
    if (waiting) {
      if (error) waiting.reject(Object.assign(new Error(error.message), error.code ? { code: error.code } : {}));
      else waiting.resolve({ exitCode: exitCode ?? null, stdout: asBuffer(stdout), stderr: asBuffer(stderr) });
    }
    if (this.waiting.size === 0) this.stopWhenIdle(worker);
  }

  private failWaiting(why: string): void {
    for (const { reject } of this.waiting.values())
      reject(new Error(`the worker thread starting git processes ${why} before git answered`));
    this.waiting.clear();
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
}

/** A Buffer arrives from a worker as a plain Uint8Array (structured clone). */
function asBuffer(bytes: Uint8Array | undefined): Buffer {
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.alloc(0);
}
