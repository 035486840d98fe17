import type { Worker } from 'node:worker_threads';

/** What the sender of a request hears: the worker's reply, or that the worker went without replying. */
export interface InFlight<Reply> {
  replied(reply: Reply): void;
  /** Stopped or died before replying: the request may or may not have been carried out. */
  lost(why: 'stopped' | 'died'): void;
}

/**
 * A worker thread started by the first request and stopped after `idleMs` without one; the
 * next request starts a new one. A request goes as `{ id, request }`, the worker answers
 * `{ id, reply }`. Once a worker could not start or died none is started again: `post` says
 * so and the caller does the work on its own thread, as it did before there was a worker.
 */
export class OnDemandWorker<Request, Reply> {
  private worker: Worker | undefined;
  private broken = false;
  private nextId = 0;
  private readonly inFlight = new Map<number, InFlight<Reply>>();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly startWorker: () => Worker,
    private readonly idleMs = 5_000,
  ) {}

  /** Sends `request` to the worker, started if need be; false (nothing sent) when there is none. */
  post(request: Request, inFlight: InFlight<Reply>): boolean {
    const worker = this.started();
    if (!worker) return false;
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    this.inFlight.set(id, inFlight);
    worker.postMessage({ id, request });
    return true;
  }

  /** Stops the worker: requests it has not replied to are lost; the next request starts a new one. */
  stop(): void {
    clearTimeout(this.idleTimer);
    void this.worker?.terminate();
    this.worker = undefined;
    this.loseInFlight('stopped');
  }

  private started(): Worker | undefined {
    if (this.worker) return this.worker;
    if (this.broken) return undefined;
    try {
      const worker = this.startWorker();
      // Never what keeps the extension host alive.
      worker.unref();
      worker.on('message', ({ id, reply }: { id: number; reply: Reply }) => {
        // A reply a stopped worker sent before it ended: its request was already told it was
        // lost, and its idle timer would be the current worker's.
        if (this.worker !== worker) return;
        const inFlight = this.inFlight.get(id);
        this.inFlight.delete(id);
        inFlight?.replied(reply);
        if (this.inFlight.size === 0) this.stopWhenIdle(worker);
      });
      const lost = () => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.broken = true;
        this.loseInFlight('died');
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

  private loseInFlight(why: 'stopped' | 'died'): void {
    const lost = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const inFlight of lost) inFlight.lost(why);
  }

  private stopWhenIdle(worker: Worker): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.worker !== worker || this.inFlight.size > 0) return;
      this.worker = undefined;
      void worker.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }
}
