/**
 * Which workspace the Prompts and Reviews views show: one picked with Switch Workspace, or all.
 * Pure (no vscode) so the rule is unit-tested; the model keeps the choice in workspaceState.
 */
import { ORG_REVIEW_WORKSPACE } from '../../core/review/policyApproval';

/** The picker's "All workspaces" entry, also accepted as the Switch Workspace command's argument. */
export const ALL_WORKSPACES = '*';

/** The key in workspaceState under which the choice survives a window reload. */
export const WORKSPACE_SCOPE_KEY = 'promptops.workspaceScope';

/** A scope: a workspace name, or undefined for all workspaces. */
export type WorkspaceScope = string | undefined;

/** The rows a scope shows: those in its workspace, or every row when the scope is all workspaces. */
export function rowsInScope<T extends { workspace: string }>(rows: readonly T[], scope: WorkspaceScope): T[] {
  return rows.filter((r) => inScope(r.workspace, scope));
}

/**
 * Whether a row in `workspace` shows under `scope`. Org-level rows (reviews of the access
 * file, which the server lists only to those who may apply policy) show in every scope.
 */
export function inScope(workspace: string, scope: WorkspaceScope): boolean {
  return scope === undefined || workspace === scope || workspace === ORG_REVIEW_WORKSPACE;
}

/**
 * The scope to use from what was stored and the workspaces the access file declares now:
 * anything not a declared workspace's name (nothing stored, a workspace since removed) is all.
 */
export function effectiveScope(stored: unknown, declared: readonly string[]): WorkspaceScope {
  return typeof stored === 'string' && stored !== ALL_WORKSPACES && declared.includes(stored) ? stored : undefined;
}
