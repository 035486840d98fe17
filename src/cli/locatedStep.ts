import { formatDiagnostic, LocatedError } from '../core/diagnostics';

/** Runs `step`; a LocatedError prints its diagnostics to stderr, then ends the command with `summary`. */
export function locatedStep<T>(step: () => T, summary: string | ((e: LocatedError) => string)): T {
  try {
    return step();
  } catch (e) {
    if (!(e instanceof LocatedError)) throw e;
    for (const d of e.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    throw new Error(typeof summary === 'string' ? summary : summary(e), { cause: e });
  }
}
