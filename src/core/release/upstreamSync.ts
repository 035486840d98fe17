import type { SignedRelease } from './releaseRecord';

/** One locally changed file (working tree vs HEAD), by content hash (sha256; undefined: absent). */
export interface LocalFileState {
  path: string;
  /** The file in the working tree now. */
  working: string | undefined;
  /** The file at HEAD. */
  head: string | undefined;
  /** The file at the upstream tip the branch would fast-forward to. */
  upstream: string | undefined;
}

/**
 * What a fast-forward to upstream means for one locally changed file:
 * - `untouched`: upstream did not change it; the local change simply stays;
 * - `published-upstream`: the local content is exactly upstream's, and upstream's lock
 *   publishes that content (someone published this very change): reset to HEAD, nothing is lost;
 * - `same-as-upstream`: the local content is exactly upstream's, though not a release: also safe to reset;
 * - `differs`: upstream changed the file to something else; the local change must never be discarded.
 */
export type UpstreamVerdict = 'untouched' | 'published-upstream' | 'same-as-upstream' | 'differs';

export interface SyncPlan {
  verdicts: { path: string; verdict: UpstreamVerdict; release?: SignedRelease }[];
  /** Files to put back to HEAD before fast-forwarding; the fast-forward brings the same bytes back. */
  reset: string[];
  /** Files whose local change differs from upstream: sync must stop and name them. */
  blocking: string[];
}

/**
 * Which local changes stand in the way of fast-forwarding to upstream, and which of them may
 * be put back to HEAD because upstream holds the very same bytes (the CLI's `sync`, and the
 * Prompts view's `published upstream`). A file is reset only when its content equals
 * upstream's, so a fast-forward can never lose a local edit.
 */
export function planUpstreamSync(files: readonly LocalFileState[], upstreamLock: readonly SignedRelease[]): SyncPlan {
  const plan: SyncPlan = { verdicts: [], reset: [], blocking: [] };
  for (const f of files) {
    let verdict: UpstreamVerdict;
    let release: SignedRelease | undefined;
    if (f.upstream === f.head) verdict = 'untouched';
    else if (f.working !== f.upstream) verdict = 'differs';
    else {
      release = upstreamLock.find((r) => r.path === f.path && r.sha256 === f.working);
      verdict = release ? 'published-upstream' : 'same-as-upstream';
    }
    plan.verdicts.push(release ? { path: f.path, verdict, release } : { path: f.path, verdict });
    if (verdict === 'differs') plan.blocking.push(f.path);
    else if (verdict !== 'untouched') plan.reset.push(f.path);
  }
  return plan;
}
