import { DEFAULT_WORKSPACE, type AccessPolicy, type WorkspaceDefinition } from '../access/accessPolicy';
import { BUILTIN_PERMISSIONS, ORG_ACTIONS, type Action, type BuiltinRole } from './actions';
import { effectiveRole } from './effectiveRole';
import { permissionsOf } from './rolePermissions';

/** The workspaces decisions are made in: the file's, and `default` even when it declares none. */
export function decidingWorkspaces(policy: AccessPolicy): WorkspaceDefinition[] {
  if (policy.workspaces.some((w) => w.name === DEFAULT_WORKSPACE)) return policy.workspaces;
  return [...policy.workspaces, { name: DEFAULT_WORKSPACE, paths: [], members: {}, environments: {} }];
}

/**
 * The actions a user holds somewhere: org actions from the org role, the others from the
 * role that decides in each workspace. What an access review judges, and the most an API
 * key this user creates can be scoped to.
 */
export function heldActions(policy: AccessPolicy, user: { username: string; role: BuiltinRole }): Set<Action> {
  const held = new Set<Action>(BUILTIN_PERMISSIONS[user.role].filter((a) => ORG_ACTIONS.has(a)));
  for (const ws of decidingWorkspaces(policy)) {
    for (const a of permissionsOf(policy, effectiveRole(ws, user).role)) if (!ORG_ACTIONS.has(a)) held.add(a);
  }
  return held;
}
