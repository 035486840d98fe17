/**
 * Resolves on a later turn of the extension host's event loop (setImmediate), after the
 * microtasks queued now: work started from `activate()` and chained on this runs after
 * VS Code has counted activation as done, and as a task of its own rather than one long
 * stretch with what came before it (bench:activation).
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
