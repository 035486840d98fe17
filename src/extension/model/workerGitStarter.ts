import { Worker } from 'node:worker_threads';
import type { GitProcessStarter } from '../../git/gitRunner';
import { OnDemandWorker } from './onDemandWorker';

/**
 * The worker's whole program: start each git process asked for and send back its exit code
 * and output (what `startGitHere` in src/git/gitRunner.ts does on the calling thread).
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { spawn } = require('node:child_process');
parentPort.on('message', ({ id, request: { cwd, args, env, input } }) => {
  let answered = false;
  const answer = (message) => {
    if (answered) return;
    answered = true;
    parentPort.postMessage({ id, reply: message });
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

interface GitRequest {
  cwd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  input: string;
}

interface GitReply {
  exitCode?: number | null;
  stdout?: Uint8Array;
  stderr?: Uint8Array;
  error?: { message: string; code?: string };
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
  private readonly worker = new OnDemandWorker<GitRequest, GitReply>(() => new Worker(WORKER_SOURCE, { eval: true }));

  constructor(private readonly startHere: GitProcessStarter) {}

  readonly start: GitProcessStarter = (cwd, args, env, input) =>
    new Promise((resolve, reject) => {
      const posted = this.worker.post(
        { cwd, args: [...args], env, input },
        {
          replied: ({ exitCode, stdout, stderr, error }) => {
            if (error) reject(Object.assign(new Error(error.message), error.code ? { code: error.code } : {}));
            else resolve({ exitCode: exitCode ?? null, stdout: asBuffer(stdout), stderr: asBuffer(stderr) });
          },
          lost: (why) => reject(new Error(`the worker thread starting git processes ${why} before git answered`)),
        },
      );
      if (!posted) resolve(this.startHere(cwd, args, env, input));
    });

  /** Stops the worker; processes it had not answered for fail. */
  dispose(): void {
    this.worker.stop();
  }
}

/** A Buffer arrives from a worker as a plain Uint8Array (structured clone). */
function asBuffer(bytes: Uint8Array | undefined): Buffer {
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.alloc(0);
}
