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
