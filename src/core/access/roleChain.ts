import { isBuiltinRole } from '../policy/actions';
import type { AccessPolicy } from './accessPolicy';

/**
 * The role, then the role it extends, and so on up to its built-in base:
 * `publisher` → ['publisher', 'editor']. Stops at an unknown role and never loops, so
 * it is safe on any input (a validated policy has no cycles and no unknown roles).
 */
export function roleAncestors(policy: Pick<AccessPolicy, 'roles'>, role: string): string[] {
  const chain: string[] = [];
  let current: string | undefined = role;
  while (current !== undefined && !chain.includes(current)) {
    chain.push(current);
    current =
      isBuiltinRole(current) || !Object.hasOwn(policy.roles, current) ? undefined : policy.roles[current].extends;
  }
  return chain;
}

/** Whether `role` is `ancestor` or extends it, directly or through other roles. */
export function roleExtends(policy: Pick<AccessPolicy, 'roles'>, role: string, ancestor: string): boolean {
  return roleAncestors(policy, role).includes(ancestor);
}

/**
 * Every cycle in an `extends` graph (role → the role it extends), each once, as the list
 * of roles along it starting from the one that comes first in `parents`' order:
 * a → b → a is ['a', 'b'].
 */
export function findRoleCycles(parents: ReadonlyMap<string, string>): string[][] {
  const order = new Map([...parents.keys()].map((r, i) => [r, i]));
  const cycles: string[][] = [];
  const settled = new Set<string>();
  for (const start of parents.keys()) {
    const path: string[] = [];
    let current: string | undefined = start;
    while (current !== undefined && !settled.has(current) && !path.includes(current)) {
      path.push(current);
      current = parents.get(current);
    }
    if (current !== undefined && path.includes(current))
      cycles.push(rotateToFirst(path.slice(path.indexOf(current)), order));
    for (const r of path) settled.add(r);
  }
  return cycles;
}

function rotateToFirst(cycle: string[], order: ReadonlyMap<string, number>): string[] {
  let first = 0;
  cycle.forEach((r, i) => {
    if ((order.get(r) ?? Infinity) < (order.get(cycle[first]) ?? Infinity)) first = i;
  });
  return [...cycle.slice(first), ...cycle.slice(0, first)];
}
