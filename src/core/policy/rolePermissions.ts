import type { AccessPolicy } from '../access/accessPolicy';
import { roleAncestors } from '../access/roleChain';
import { BUILTIN_PERMISSIONS, isBuiltinRole, type Action } from './actions';

/**
 * A role's actions: its built-in base's, then each role up the `extends` chain adds its
 * `allow` and removes its `deny`, nearest the base first. A chain that ends in an unknown
 * role or a cycle has no base (nothing), so any input is safe; a validated policy has neither.
 */
export function permissionsOf(policy: Pick<AccessPolicy, 'roles'>, role: string): Set<Action> {
  const chain = roleAncestors(policy, role);
  const base = chain[chain.length - 1];
  const perms = new Set<Action>(isBuiltinRole(base) ? BUILTIN_PERMISSIONS[base] : []);
  for (const r of chain.reverse()) {
    if (isBuiltinRole(r) || !Object.hasOwn(policy.roles, r)) continue;
    for (const a of policy.roles[r].allow) perms.add(a);
    for (const a of policy.roles[r].deny) perms.delete(a);
  }
  return perms;
}

/** Whether `role` counts as one of `list`: itself or a role it extends is listed; admin always counts. */
export function countsAsOneOf(policy: Pick<AccessPolicy, 'roles'>, role: string, list: readonly string[]): boolean {
  return role === 'admin' || roleAncestors(policy, role).some((r) => list.includes(r));
}
