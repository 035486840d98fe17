import type { AccessPolicy } from './accessPolicy';

/** Whether an access file asks for signed commits: `requireSignedCommits`, or a trust epoch (`signedCommitsFrom`). */
export function requiresSignedCommits(
  policy: Pick<AccessPolicy, 'requireSignedCommits' | 'signedCommitsFrom'>,
): boolean {
  return policy.requireSignedCommits === true || policy.signedCommitsFrom !== undefined;
}
