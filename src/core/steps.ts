/**
 * Work in steps: a generator that yields wherever a caller may pause it. Synchronous callers
 * run it to the end in one go (`runToEnd`); the extension gives the event loop a turn between
 * steps when one has run long (PromptIndex), so one implementation serves both.
 */
export type Steps<T> = Generator<void, T, void>;

export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Runs steps on a thread that must stay responsive (the extension host): whenever the
 * current slice has run `sliceMs`, the event loop gets a turn before the next step
 * (setImmediate where the host has it: setTimeout's 1 ms floor would add ~10% to a large
 * index build).
 */
export class TimeSlices {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs: number) {}

  async yieldIfBusy(): Promise<void> {
    if (performance.now() - this.sliceStart < this.sliceMs) return;
    await new Promise<void>((resolve) => (nextTurn ? nextTurn(resolve) : setTimeout(resolve, 0)));
    this.sliceStart = performance.now();
  }

  async run<T>(steps: Steps<T>): Promise<T> {
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
      await this.yieldIfBusy();
    }
  }
}

/** Node's setImmediate, looked up at run time: core is also compiled for the webview, which has none. */
const nextTurn = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
