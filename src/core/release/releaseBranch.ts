/**
 * The branch releases are committed to and pushed: the access file's `releaseBranch`, else
 * the remote's default branch (what `origin/HEAD` names), else the checked-out branch.
 * Undefined when none is known (a detached HEAD in a clone without `origin/HEAD`).
 */
export function chooseReleaseBranch(known: {
  configured?: string | undefined;
  remoteDefault?: string | undefined;
  current?: string | undefined;
}): string | undefined {
  return known.configured ?? known.remoteDefault ?? known.current;
}
