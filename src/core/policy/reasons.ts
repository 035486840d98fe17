import type { Action } from './actions';

/**
 * The sentences decisions carry. Both evaluators (compiled and reference) build their
 * reasons here, so a UI shows the same words whichever produced the decision.
 */

/** How the acting role came about, for "you are `x`" vs "you are `x` in `support`". */
export type RoleSource = 'org' | 'member';

const GERUND: Record<Action, string> = {
  'prompt.read': 'Viewing',
  'prompt.run': 'Running',
  'prompt.create': 'Creating',
  'prompt.edit': 'Editing',
  'prompt.delete': 'Deleting',
  'prompt.publish': 'Publishing',
  'review.request': 'Requesting review of',
  'review.approve': 'Approving changes to',
  'workspace.create': 'Creating workspaces',
  'workspace.delete': 'Deleting workspaces',
  'user.manage': 'Managing users',
  'policy.apply': 'Applying the access file',
  'apikey.manage': 'Managing API keys',
  'user.invite': 'Inviting users',
  'server.key.rotate': 'Rotating the server signing key',
  'evaluation.run': 'Running evaluations of',
};

const VERB: Record<Action, string> = {
  'prompt.read': 'view',
  'prompt.run': 'run',
  'prompt.create': 'create',
  'prompt.edit': 'edit',
  'prompt.delete': 'delete',
  'prompt.publish': 'publish',
  'review.request': 'request review of',
  'review.approve': 'approve changes to',
  'workspace.create': 'create workspaces',
  'workspace.delete': 'delete workspaces',
  'user.manage': 'manage users',
  'policy.apply': 'apply the access file',
  'apikey.manage': 'manage API keys',
  'user.invite': 'invite users',
  'server.key.rotate': 'rotate the server signing key',
  'evaluation.run': 'run evaluations of',
};

const WRITES: ReadonlySet<Action> = new Set<Action>(['prompt.create', 'prompt.edit', 'prompt.delete']);

const code = (s: string) => `\`${s}\``;

export function youAre(role: string, source: RoleSource, workspace?: string): string {
  return source === 'member' && workspace ? `you are ${code(role)} in ${code(workspace)}` : `you are ${code(role)}`;
}

/** Roles in the order people read them: declared order, `admin` (who always can) last. */
export function adminLast(roles: readonly string[]): string[] {
  return [...roles.filter((r) => r !== 'admin'), ...roles.filter((r) => r === 'admin')];
}

/** "the `a` role", "the `a` or `b` role", "one of the roles `a`, `b`, `c`". */
export function roleList(roles: readonly string[]): string {
  if (roles.length === 1) return `the ${code(roles[0])} role`;
  if (roles.length === 2) return `the ${code(roles[0])} or ${code(roles[1])} role`;
  return `one of the roles ${roles.map(code).join(', ')}`;
}

function subject(env: string | undefined, workspace: string): string {
  return `${env ? `${env} prompts` : 'prompts'} in ${code(workspace)}`;
}

export function orgRoleReason(action: Action, allowed: boolean, role: string, neededRole: string): string {
  return allowed
    ? `You may ${VERB[action]}: ${youAre(role, 'org')}.`
    : `${GERUND[action]} needs the ${code(neededRole)} role; ${youAre(role, 'org')}.`;
}

export function protectedReason(action: Action, allowed: boolean, path: string, orgRole: string): string {
  return allowed
    ? `You may ${VERB[action]} ${code(path)}, a protected path: ${youAre(orgRole, 'org')}.`
    : `Read-only: ${code(path)} is protected; only admins may change it, and ${youAre(orgRole, 'org')}.`;
}

export function unknownEnvReason(env: string, declared: readonly string[]): string {
  return `${code(env)} is not an environment declared in the access file (${declared.join(', ')}); only viewing and running are allowed until it is.`;
}

/** `holders`: the roles that may do this here (have the action and pass the env's list), so the sentence names who can. */
export function rolePermissionReason(
  action: Action,
  allowed: boolean,
  role: string,
  source: RoleSource,
  workspace: string,
  env: string | undefined,
  holders: readonly string[],
): string {
  // Key management and invites are about no prompt: "Managing API keys needs …", not "… prompts in `default`".
  const what = action === 'apikey.manage' || action === 'user.invite' ? '' : ` ${subject(env, workspace)}`;
  if (allowed) return `You may ${VERB[action]}${what}: ${youAre(role, source, workspace)}.`;
  const prefix = WRITES.has(action) ? 'Read-only: ' : '';
  const gerund = prefix ? GERUND[action].toLowerCase() : GERUND[action];
  return `${prefix}${gerund}${what} needs ${roleList(holders)}; ${youAre(role, source, workspace)}.`;
}

/** For the env `edit` / `publish` lists and the approval rule's `from` list. */
export function envListReason(
  action: Action,
  allowed: boolean,
  list: readonly string[],
  role: string,
  source: RoleSource,
  workspace: string,
  env: string,
): string {
  const what = subject(env, workspace);
  const you = youAre(role, source, workspace);
  if (allowed) return `You may ${VERB[action]} ${what}: ${you}.`;
  const who = list.length === 0 ? 'an admin' : roleList(list);
  if (WRITES.has(action)) return `Read-only: ${what} need ${who}; ${you}.`;
  return `${GERUND[action]} ${what} needs ${who}; ${you}.`;
}

export function selfApprovalReason(workspace: string, env: string): string {
  return `You wrote this change, and the approval rule for ${env} prompts in ${code(workspace)} does not allow approving your own change.`;
}
