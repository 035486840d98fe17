import { verifyLockEntry, type TrustedKeys } from '../../core/release/lockEntryVerdict';
import { parseReleaseLock } from '../../core/release/releaseLock';
import type { ReleasedContent } from './changeCheck';

/**
 * From a lock's text and the trusted keys: is this content a signed release of this path
 * in this env? Entries that do not verify grant nothing.
 */
export function releasedContentFrom(lockText: string | undefined, trusted: TrustedKeys): ReleasedContent | undefined {
  if (lockText === undefined || trusted.size === 0) return undefined;
  const entries = parseReleaseLock(lockText).entries ?? [];
  return (path, bytes, env) => {
    const entry = entries.find((e) => e.release.path === path && e.release.env === env);
    return entry !== undefined && verifyLockEntry(entry, bytes, trusted).ok;
  };
}
