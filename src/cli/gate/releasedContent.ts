import type { KeyObject } from 'node:crypto';
import { contentSha256 } from '../../core/release/contentHash';
import { parseReleaseLock } from '../../core/release/releaseLock';
import { verifyReleaseSignature } from '../../core/release/releaseRecord';
import type { ReleasedContent } from './changeCheck';

/**
 * From a lock's text and the pinned key: is this content a signed release of this path
 * in this env? Entries that do not verify grant nothing.
 */
export function releasedContentFrom(
  lockText: string | undefined,
  publicKey: KeyObject | undefined,
): ReleasedContent | undefined {
  if (lockText === undefined || publicKey === undefined) return undefined;
  const entries = parseReleaseLock(lockText).entries ?? [];
  return (path, bytes, env) => {
    const entry = entries.find((e) => e.release.path === path && e.release.env === env);
    if (!entry) return false;
    return (
      entry.release.sha256 === contentSha256(bytes) &&
      verifyReleaseSignature(entry.release, entry.release.signature, publicKey)
    );
  };
}
