/**
 * Pure helpers for the `files.readonlyInclude` setting, kept free of `vscode` so they are
 * unit-tested in plain node. VS Code reads each key as a glob, so an exact path has its
 * glob characters escaped by wrapping each in a one-character class (`[*]`); VS Code's
 * globs have no backslash escape.
 */
export function escapeGlobPath(path: string): string {
  return path.replace(/[*?[\]{}]/g, (c) => `[${c}]`);
}

export type ReadonlyInclude = Record<string, boolean>;

export interface ReadonlyIncludeMerge {
  /** The setting's new Global value; undefined removes the setting (nothing left in it). */
  value: ReadonlyInclude | undefined;
  /** Keys we own now: ours to remove later. Keys the user had already are never ours. */
  ours: string[];
  /** Whether `value` differs from what is there. */
  changed: boolean;
}

/**
 * Merge our read-only paths into the user's own Global entries: drop the keys we added
 * before, keep everything the user wrote, add `wanted` (already escaped) where the user
 * does not have that key already.
 */
export function mergeReadonlyInclude(
  current: ReadonlyInclude | undefined,
  previousOurs: readonly string[],
  wanted: readonly string[],
): ReadonlyIncludeMerge {
  const before = current ?? {};
  const previous = new Set(previousOurs);
  const next: ReadonlyInclude = {};
  for (const [key, value] of Object.entries(before)) if (!previous.has(key)) next[key] = value;
  const ours: string[] = [];
  for (const key of wanted) {
    if (key in next) continue;
    next[key] = true;
    ours.push(key);
  }
  const value = Object.keys(next).length > 0 ? next : undefined;
  return { value, ours, changed: !sameEntries(before, next) };
}

function sameEntries(a: ReadonlyInclude, b: ReadonlyInclude): boolean {
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  return ak.every((k) => k in b && a[k] === b[k]);
}
