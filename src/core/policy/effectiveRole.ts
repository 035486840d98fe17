import type { BuiltinRole } from './actions';
import type { RoleSource } from './reasons';

/** The role that decides for someone in a workspace, and whether it comes from the org role or a binding. */
export interface EffectiveRole {
  role: string;
  source: RoleSource;
}

/**
 * An org admin is admin everywhere; otherwise a workspace binding replaces the org role.
 * The one definition for the reference rules, the compiled evaluator, the access review
 * and the extension's Access view.
 */
export function effectiveRole(
  ws: { members: Readonly<Record<string, string>> },
  actor: { username: string; role: BuiltinRole },
): EffectiveRole {
  if (actor.role === 'admin') return { role: 'admin', source: 'org' };
  // `hasOwn`: a username such as `constructor` must not find Object.prototype's.
  const bound = Object.hasOwn(ws.members, actor.username) ? ws.members[actor.username] : undefined;
  return bound !== undefined ? { role: bound, source: 'member' } : { role: actor.role, source: 'org' };
}
