import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import type { GitRepository } from '../../git/gitRepository';
import { decodeUtf8 } from './changeCheck';
import { gatePolicyFrom } from './gatePolicy';

/**
 * The refs a pushed policy change must not reach before the server applied it: the
 * repository's default branch (what HEAD names, in a bare remote) and the access file's
 * `releaseBranch` as committed at the default branch's tip. Both are read from what the
 * remote already holds (guarded by the same hook), never from the push being judged, so a
 * pushed access file cannot move the release branch out of the way.
 */
export async function releaseRefs(repo: GitRepository): Promise<string[]> {
  const refs = new Set<string>();
  const defaultBranch = await repo.currentBranch();
  if (defaultBranch) refs.add(`refs/heads/${defaultBranch}`);
  const tip = await repo.head();
  if (tip) {
    const bytes = (await repo.filesAt(tip, [ACCESS_FILE_PATH])).get(ACCESS_FILE_PATH);
    const configured = gatePolicyFrom(bytes && decodeUtf8(bytes)).compiled?.policy.releaseBranch;
    if (configured) refs.add(`refs/heads/${configured}`);
  }
  return [...refs];
}
