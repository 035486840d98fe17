/** The most runs per case one evaluation may ask for: each is a paid request. */
export const MAX_RUNS = 100;

/** A runs count as typed (`--runs`, VS Code's input box): a whole number from 1 to MAX_RUNS, or why not. */
export function parseRunCount(text: string): number | string {
  const runs = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS)
    return `runs must be a whole number from 1 to ${MAX_RUNS}, got ${JSON.stringify(text)}`;
  return runs;
}
