import type { Suggestion } from '../diagnostics';
import { distance } from 'fastest-levenshtein';

/**
 * The candidate a typo most likely meant, or undefined when none is close enough to be
 * a useful guess. "Close enough": a case-only difference, or an edit distance of at most
 * a third of the word (at least 1, at most 3), so `reviwer` → `reviewer` but `zzz` → nothing.
 */
export function closestName(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(input.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const d = candidate.toLowerCase() === lower ? 0 : distance(input, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean "x"?)`, or '' when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closestName(input, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}

/** A suggestion when one is close, else the full list so the user can pick: ` (known: a, b, c)`. */
export function suggestionOrList(input: string, candidates: readonly string[], listLabel: string): string {
  return didYouMean(input, candidates) || ` (${listLabel}: ${candidates.join(', ')})`;
}

/** The same guess as `didYouMean`, as data for a quick fix; undefined when nothing is close. */
export function suggestionFor(input: string, candidates: Iterable<string>): Suggestion | undefined {
  const match = closestName(input, candidates);
  return match === undefined ? undefined : { replace: input, with: match };
}
