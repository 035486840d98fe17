import { LocatedError } from '../diagnostics';
import { parseReleaseLock, serializeReleaseLock } from './releaseLock';
import type { SignedRelease } from './releaseRecord';

/** The same lock entry (path and env) changed differently on both sides. */
export interface LockConflict {
  path: string;
  env: string;
  /** The entry on our side (undefined: we removed it). */
  ours: SignedRelease | undefined;
  /** The entry on their side (undefined: they removed it). */
  theirs: SignedRelease | undefined;
}

export type LockMerge = { kind: 'merged'; text: string } | { kind: 'conflict'; conflicts: LockConflict[] };

/**
 * Three-way merge of `.promptops/published.yaml`, entry by entry keyed by path and env, as
 * when a publish is replayed on a tip that someone else published to meanwhile: an entry
 * changed on one side only takes that side; changed identically on both, either; changed
 * differently on both (two releases of the same prompt in the same env) is a conflict that
 * no tool may settle. Texts that are not valid locks throw a LocatedError naming the file,
 * line and field: a damaged lock is never merged over.
 */
export function mergeReleaseLocks(
  base: string | undefined,
  ours: string | undefined,
  theirs: string | undefined,
  file?: string,
): LockMerge {
  const [b, o, t] = [base, ours, theirs].map((text) => entriesOf(text, file));
  const keys = new Set([...b.keys(), ...o.keys(), ...t.keys()]);
  const merged: SignedRelease[] = [];
  const conflicts: LockConflict[] = [];
  for (const key of keys) {
    const [was, mine, other] = [b.get(key), o.get(key), t.get(key)];
    let pick: SignedRelease | undefined;
    if (same(mine, other)) pick = mine;
    else if (same(mine, was)) pick = other;
    else if (same(other, was)) pick = mine;
    else {
      const [path, env] = key.split('\0');
      conflicts.push({ path, env, ours: mine, theirs: other });
      continue;
    }
    if (pick) merged.push(pick);
  }
  return conflicts.length > 0
    ? { kind: 'conflict', conflicts }
    : { kind: 'merged', text: serializeReleaseLock(merged) };
}

function entriesOf(text: string | undefined, file: string | undefined): Map<string, SignedRelease> {
  const parsed = parseReleaseLock(text ?? '', file);
  if (!parsed.entries) throw new LocatedError(parsed.diagnostics.filter((d) => d.severity === 'error'));
  return new Map(parsed.entries.map((e) => [`${e.release.path}\0${e.release.env}`, e.release]));
}

/** Entries are equal when they serialize alike: every signed field and the signature. */
function same(a: SignedRelease | undefined, b: SignedRelease | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return serializeReleaseLock([a]) === serializeReleaseLock([b]);
}
