/**
 * Pure decisions behind `review checkout` and `publish`: whether the working tree may take
 * the review's approved bytes, and whether an earlier release can be reused. The caller
 * hashes the files and renders the outcome; nothing here touches a disk, git or a server.
 */

/** What the working tree holds at the review's path, by content hash (sha256 hex). */
export interface WorkingFileHashes {
  /** The approved head: the review's `headHash`. */
  approved: string;
  /** sha256 of the content the server sent for the head; must equal `approved`. */
  served: string;
  /** sha256 of the working file; undefined when there is none. */
  working: string | undefined;
  /** sha256 of the file at HEAD; undefined when HEAD has none (or there is no commit). */
  committed: string | undefined;
  /**
   * The same file in the review's other revisions (what an earlier checkout of it wrote):
   * the server keeps them, so replacing one loses nothing.
   */
  earlier?: readonly string[];
}

export type ApprovedContentPlan =
  /** The working file already is the approved content: nothing to write. */
  | { kind: 'in-place' }
  /** Absent, unchanged from HEAD, or another revision of the review: the approved bytes may replace it. */
  | { kind: 'write' }
  /** The server's content does not hash to the review's head: it was damaged or tampered with. */
  | { kind: 'damaged'; approved: string; served: string }
  /** Local edits that are neither HEAD's nor any revision of the review: never overwritten. */
  | { kind: 'local-changes'; approved: string; working: string };

export function planApprovedContent(h: WorkingFileHashes): ApprovedContentPlan {
  if (h.served !== h.approved) return { kind: 'damaged', approved: h.approved, served: h.served };
  if (h.working === h.approved) return { kind: 'in-place' };
  if (h.working === undefined || h.working === h.committed || h.earlier?.includes(h.working)) return { kind: 'write' };
  return { kind: 'local-changes', approved: h.approved, working: h.working };
}

export type ReleasePlan<R> =
  /** Nothing published yet: the server is asked to sign. */
  | { kind: 'sign' }
  /** An earlier run published this very content (and may have failed locally): reuse it. */
  | { kind: 'reuse'; release: R }
  /** Published, but other content than the approved head: something is badly wrong, stop. */
  | { kind: 'mismatch'; released: string; approved: string };

export function planRelease<R extends { sha256: string }>(
  existing: R | null | undefined,
  approvedHash: string,
): ReleasePlan<R> {
  if (!existing) return { kind: 'sign' };
  if (existing.sha256 === approvedHash) return { kind: 'reuse', release: existing };
  return { kind: 'mismatch', released: existing.sha256, approved: approvedHash };
}

/**
 * The path and each folder above it, outermost first ('a/b/c' → 'a', 'a/b', 'a/b/c'),
 * so a caller can refuse a symbolic link anywhere on the way. Undefined for a path that
 * is not plainly inside the repository (absolute, empty, `.` or `..` segments).
 */
export function repoPathChain(path: string): string[] | undefined {
  const parts = path.split('/');
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.includes('\\')) return undefined;
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return undefined;
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
