import { pathMatcher } from '../access/pathGlobs';
import {
  ALWAYS_PROTECTED,
  DEFAULT_WORKSPACE,
  type AccessPolicy,
  type ApprovalRule,
  type WorkspaceDefinition,
} from '../access/accessPolicy';
import { limitToKeyScope } from './apiKeyScope';
import { BUILTIN_PERMISSIONS, CHANGE_ACTIONS, ORG_ACTIONS, BUILTIN_ROLES, type Action } from './actions';
import type { Actor, Decision, Resource } from './decision';
import * as reasons from './reasons';
import type { RoleSource } from './reasons';
import { effectiveRole } from './effectiveRole';
import { countsAsOneOf, permissionsOf } from './rolePermissions';
import { isOwnChange, selfApprovalRefusal } from './selfApproval';

/**
 * The access rules written down as directly as possible, with no precomputation and no
 * caching. It is the specification the compiled evaluator (compiledPolicy.ts) is tested
 * against on random policies; keep it obvious rather than fast.
 */
export function referenceDecide(policy: AccessPolicy, actor: Actor, action: Action, resource: Resource): Decision {
  const d = decideForPerson(policy, actor, action, resource);
  // 0. An API key: its scope and its creator's own rights, both.
  return actor.apiKey ? limitToKeyScope(d, actor.apiKey, action, resource) : d;
}

function decideForPerson(policy: AccessPolicy, actor: Actor, action: Action, resource: Resource): Decision {
  // 1. Org-scoped actions: the org role alone.
  if (ORG_ACTIONS.has(action)) {
    const allowed = BUILTIN_PERMISSIONS[actor.role].includes(action);
    const needed = BUILTIN_ROLES.find((r) => BUILTIN_PERMISSIONS[r].includes(action)) ?? 'admin';
    return {
      allowed,
      rule: 'org-role',
      reason: reasons.orgRoleReason(action, allowed, actor.role, needed),
      role: actor.role,
    };
  }

  if (resource.kind === 'org') {
    return byRolePermission(policy, actor, action, workspaceNamed(policy, DEFAULT_WORKSPACE), undefined);
  }
  if (resource.kind === 'workspace') {
    const ws = workspaceNamed(policy, resource.name) ?? workspaceNamed(policy, DEFAULT_WORKSPACE);
    return byRolePermission(policy, actor, action, ws, undefined);
  }

  const ws = placeWorkspace(policy, resource.path, resource.kind === 'prompt' ? resource.workspace : undefined);

  // 2. Protected paths: only org admins change them.
  const isProtected = CHANGE_ACTIONS.has(action) && isProtectedPath(policy, resource.path);
  if (isProtected && actor.role !== 'admin') {
    return {
      allowed: false,
      rule: 'protected-path',
      reason: reasons.protectedReason(action, false, resource.path, actor.role),
      role: actor.role,
      workspace: ws.name,
      env: resource.kind === 'prompt' ? (resource.env ?? policy.environments[0]) : undefined,
    };
  }

  if (resource.kind === 'file') {
    const d = byRolePermission(policy, actor, action, ws, undefined);
    return isProtected && d.allowed ? protectedAllow(action, resource.path, actor, d) : d;
  }

  // 3. The prompt's env must be declared; until it is, only reading and running.
  const env = resource.env ?? policy.environments[0];
  const { role, source } = effectiveRole(ws, actor);
  if (!policy.environments.includes(env) && action !== 'prompt.read' && action !== 'prompt.run') {
    return {
      allowed: false,
      rule: 'unknown-env',
      reason: reasons.unknownEnvReason(env, policy.environments),
      role,
      workspace: ws.name,
      env,
    };
  }

  // 4. The effective role must have the action at all.
  const base = byRolePermission(policy, actor, action, ws, env);
  if (!base.allowed) return base;

  // 5. The env rule narrows who may change, publish and approve.
  const envRule = ws.environments[env];
  let narrowed: Decision | undefined;
  if (CHANGE_ACTIONS.has(action) && envRule?.edit) {
    narrowed = listDecision(policy, action, 'env-edit', envRule.edit, role, source, ws.name, env);
  } else if (action === 'prompt.publish' && envRule?.publish) {
    narrowed = listDecision(policy, action, 'env-publish', envRule.publish, role, source, ws.name, env);
  } else if (action === 'review.approve') {
    const rule = approvalRuleFor(policy, ws, env);
    narrowed = listDecision(policy, action, 'approval-role', rule.from, role, source, ws.name, env);
    if (
      narrowed.allowed &&
      !rule.selfApproval &&
      resource.author !== undefined &&
      isOwnChange(resource.author, actor.username)
    )
      return selfApprovalRefusal(role, ws.name, env);
  }
  const decided = narrowed ?? base;
  return isProtected && decided.allowed ? protectedAllow(action, resource.path, actor, decided) : decided;
}

/** The env rule's list that narrows `action` in this workspace and env, if any. */
function narrowingList(
  policy: AccessPolicy,
  ws: WorkspaceDefinition,
  env: string,
  action: Action,
): readonly string[] | undefined {
  if (CHANGE_ACTIONS.has(action)) return ws.environments[env]?.edit;
  if (action === 'prompt.publish') return ws.environments[env]?.publish;
  if (action === 'review.approve') return approvalRuleFor(policy, ws, env).from;
  return undefined;
}

/** The approval rule in force: env rule, else workspace rule, else the file's default. */
export function approvalRuleFor(policy: AccessPolicy, ws: WorkspaceDefinition, env: string): ApprovalRule {
  return ws.environments[env]?.approvals ?? ws.approvals ?? policy.approvals;
}

function protectedAllow(action: Action, path: string, actor: Actor, d: Decision): Decision {
  return { ...d, rule: 'protected-path', reason: reasons.protectedReason(action, true, path, actor.role) };
}

function byRolePermission(
  policy: AccessPolicy,
  actor: Actor,
  action: Action,
  ws: WorkspaceDefinition | undefined,
  env: string | undefined,
): Decision {
  const wsName = ws?.name ?? DEFAULT_WORKSPACE;
  const { role, source } = ws ? effectiveRole(ws, actor) : { role: actor.role as string, source: 'org' as RoleSource };
  const allowed = permissionsOf(policy, role).has(action);
  const list =
    ws && env !== undefined && policy.environments.includes(env) ? narrowingList(policy, ws, env, action) : undefined;
  const holders = reasons.adminLast(
    [...BUILTIN_ROLES, ...Object.keys(policy.roles)].filter(
      (r) => permissionsOf(policy, r).has(action) && (!list || countsAsOneOf(policy, r, list)),
    ),
  );
  return {
    allowed,
    rule: 'role-permission',
    reason: reasons.rolePermissionReason(action, allowed, role, source, wsName, env, holders),
    role,
    workspace: wsName,
    env,
  };
}

function listDecision(
  policy: AccessPolicy,
  action: Action,
  rule: 'env-edit' | 'env-publish' | 'approval-role',
  list: readonly string[],
  role: string,
  source: RoleSource,
  workspace: string,
  env: string,
): Decision {
  const allowed = countsAsOneOf(policy, role, list);
  return {
    allowed,
    rule,
    reason: reasons.envListReason(action, allowed, list, role, source, workspace, env),
    role,
    workspace,
    env,
  };
}

/** One glob against one path. Compiled globs are kept: the rules stay naive, only picomatch's parse is shared. */
const globMatchers = new Map<string, (path: string) => boolean>();
function globMatches(glob: string, path: string): boolean {
  let match = globMatchers.get(glob);
  if (!match) globMatchers.set(glob, (match = pathMatcher([glob])));
  return match(path);
}

function workspaceNamed(policy: AccessPolicy, name: string): WorkspaceDefinition | undefined {
  return policy.workspaces.find((w) => w.name === name);
}

/** A prompt's own `workspace` field when that workspace's globs cover the path; else path globs in file order; then `default`. */
export function placeWorkspace(policy: AccessPolicy, path: string, declared: string | undefined): WorkspaceDefinition {
  const covers = (w: WorkspaceDefinition) => w.paths.some((g) => globMatches(g, path));
  const named = declared !== undefined ? workspaceNamed(policy, declared) : undefined;
  if (named && (covers(named) || (named.name === DEFAULT_WORKSPACE && !policy.workspaces.some(covers)))) return named;
  const byPath = policy.workspaces.find(covers);
  return (
    byPath ??
    workspaceNamed(policy, DEFAULT_WORKSPACE) ?? { name: DEFAULT_WORKSPACE, paths: [], members: {}, environments: {} }
  );
}

export function isProtectedPath(policy: AccessPolicy, path: string): boolean {
  return [...ALWAYS_PROTECTED, ...policy.protected].some((g) => globMatches(g, path));
}
