import type { LockEntry } from './releaseLock';

/** A lock entry that went backwards between two versions of the lock. */
export interface LockRegression {
  path: string;
  env: string;
  kind: 'removed' | 'older';
  /** Where the entry stands in the later lock (for 'older'), else in the earlier one. */
  line: number;
  message: string;
}

const UNPUBLISH =
  'unpublishing is a server action (not available yet): restore the entry; to go back to older content, request a review of it and publish that as a new release';

/**
 * Entries only move forward: each (path, env) entry of `before` must still be in `after`,
 * published no earlier (the server-signed `publishedAt` orders releases of one path and
 * env). A removed entry, an emptied or deleted lock (`after` undefined or empty), or an
 * older signed release brought back are regressions.
 */
export function lockRegressions(
  before: readonly LockEntry[],
  after: readonly LockEntry[] | undefined,
): LockRegression[] {
  const later = new Map((after ?? []).map((e) => [`${e.release.path}\0${e.release.env}`, e]));
  const out: LockRegression[] = [];
  for (const old of before) {
    const { path, env } = old.release;
    const now = later.get(`${path}\0${env}`);
    if (!now)
      out.push({
        path,
        env,
        kind: 'removed',
        line: old.line,
        message: `its ${env} release (review ${old.release.reviewId}) was removed from the lock${after === undefined ? ' (the lock is gone)' : ''}: ${UNPUBLISH}`,
      });
    else if (Date.parse(now.release.publishedAt) < Date.parse(old.release.publishedAt))
      out.push({
        path,
        env,
        kind: 'older',
        line: now.line,
        message: `its ${env} release went back from review ${old.release.reviewId} (published ${old.release.publishedAt}) to the older review ${now.release.reviewId} (published ${now.release.publishedAt}): releases only move forward; publish the old content again through a new review`,
      });
  }
  return out;
}
