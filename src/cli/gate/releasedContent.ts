import { verifyLockEntry, type TrustedKeys } from '../../core/release/lockEntryVerdict';
import { parseReleaseLock, type LockEntry } from '../../core/release/releaseLock';
import type { ReleasedContent } from './changeCheck';

/**
 * From a lock's text and the trusted keys: is this content a signed release of this path
 * in this env? Entries that do not verify grant nothing. Given a function of the entries
 * instead of the text, it is called at the first question (a range's commits mostly change no prompt).
 */
export function releasedContentFrom(
  lock: string | (() => readonly LockEntry[]) | undefined,
  trusted: TrustedKeys,
): ReleasedContent | undefined {
  if (lock === undefined || trusted.size === 0) return undefined;
  // The first entry for each path and env, indexed at the first question: a range asks once per changed prompt.
  let byPathAndEnv: Map<string, LockEntry> | undefined;
  return (path, bytes, env) => {
    if (!byPathAndEnv) {
      byPathAndEnv = new Map();
      for (const e of typeof lock === 'string' ? (parseReleaseLock(lock).entries ?? []) : lock()) {
        const key = `${e.release.path}\0${e.release.env}`;
        if (!byPathAndEnv.has(key)) byPathAndEnv.set(key, e);
      }
    }
    const entry = byPathAndEnv.get(`${path}\0${env}`);
    return entry !== undefined && verifyLockEntry(entry, bytes, trusted).ok;
  };
}
