import { DEFAULT_WORKSPACE, type AccessPolicy } from './accessPolicy';

/**
 * The policy the server decides with when some workspaces were deleted through its API:
 * those workspaces are absent, as if the access file did not declare them, so their members'
 * bindings grant nothing and their prompts are placed as a prompt in no workspace is (in
 * `default`, unless another workspace's paths cover them). Names compare case-insensitively,
 * as the server's workspace names do. `default` cannot be deleted.
 */
export function withoutDeletedWorkspaces(policy: AccessPolicy, deleted: readonly string[]): AccessPolicy {
  if (deleted.length === 0) return policy;
  const gone = new Set(deleted.map((n) => n.toLowerCase()));
  gone.delete(DEFAULT_WORKSPACE);
  const workspaces = policy.workspaces.filter((w) => !gone.has(w.name.toLowerCase()));
  return workspaces.length === policy.workspaces.length ? policy : { ...policy, workspaces };
}

/** The workspaces an access file declares that were deleted on the server, in file order. */
export function declaredDeletedWorkspaces(policy: AccessPolicy, deleted: readonly string[]): string[] {
  const gone = new Set(deleted.map((n) => n.toLowerCase()));
  return policy.workspaces.map((w) => w.name).filter((n) => n !== DEFAULT_WORKSPACE && gone.has(n.toLowerCase()));
}
