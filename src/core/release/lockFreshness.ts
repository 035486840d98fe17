import type { LockEntry } from './releaseLock';
import { retires, type SignedUnpublish } from './unpublishRecord';

/** A lock entry that went backwards between two versions of the lock. */
export interface LockRegression {
  path: string;
  env: string;
  kind: 'removed' | 'older' | 'retired';
  /** Where the entry stands in the later lock (for 'older'), else in the earlier one. */
  line: number;
  message: string;
}

const UNPUBLISH =
  'an entry leaves the lock only with a server-signed unpublish record of that very release (promptops unpublish PATH --env ENV writes both): restore the entry, or unpublish it; to go back to older content, request a review of it and publish that as a new release';

/**
 * Entries only move forward: each (path, env) entry of `before` must still be in `after`,
 * published no earlier (the server-signed `publishedAt` orders releases of one path and
 * env), unless `unpublished` (records already checked against the trusted keys, by
 * `path\0env`) holds a record retiring exactly that entry. A removed entry, an emptied or
 * deleted lock (`after` undefined or empty), or an older signed release brought back are
 * regressions; so is an entry in `after` that a record retired (a replayed old release).
 */
export function lockRegressions(
  before: readonly LockEntry[],
  after: readonly LockEntry[] | undefined,
  unpublished: ReadonlyMap<string, SignedUnpublish> = new Map(),
): LockRegression[] {
  const later = new Map((after ?? []).map((e) => [`${e.release.path}\0${e.release.env}`, e]));
  const out: LockRegression[] = [];
  for (const old of before) {
    const { path, env } = old.release;
    const now = later.get(`${path}\0${env}`);
    const record = unpublished.get(`${path}\0${env}`);
    if (!now && record && retires(record, old.release)) continue;
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
  out.push(...retiredEntries(after ?? [], unpublished));
  return out;
}

/**
 * Entries an unpublish record says are gone: a release published no later than the
 * record's unpublishedAt for its path and env (a later publish is a new version).
 */
export function retiredEntries(
  entries: readonly LockEntry[],
  unpublished: ReadonlyMap<string, SignedUnpublish>,
): LockRegression[] {
  const out: LockRegression[] = [];
  for (const e of entries) {
    const { path, env } = e.release;
    const record = unpublished.get(`${path}\0${env}`);
    if (!record || Date.parse(e.release.publishedAt) > Date.parse(record.unpublishedAt)) continue;
    out.push({
      path,
      env,
      kind: 'retired',
      line: e.line,
      message: `its ${env} release (review ${e.release.reviewId}, published ${e.release.publishedAt}) is not newer than its unpublishing by ${record.unpublishedBy} at ${record.unpublishedAt}: a retired release cannot come back; publish the content again through a new review`,
    });
  }
  return out;
}

/** Unpublish records only move forward too: each of `before` must still be there, or replaced by a later one. */
export function unpublishRegressions(
  before: ReadonlyMap<string, SignedUnpublish>,
  after: ReadonlyMap<string, SignedUnpublish>,
): { path: string; env: string; message: string }[] {
  const out: { path: string; env: string; message: string }[] = [];
  for (const [key, old] of before) {
    const now = after.get(key);
    if (now && Date.parse(now.unpublishedAt) >= Date.parse(old.unpublishedAt)) continue;
    out.push({
      path: old.path,
      env: old.env,
      message: `the record of its unpublishing from ${old.env} (${old.unpublishedAt}) was ${now ? 'replaced by an older one' : 'removed'}: unpublish records are never removed`,
    });
  }
  return out;
}
