import {
  ALWAYS_PROTECTED,
  DEFAULT_WORKSPACE,
  type AccessPolicy,
  type ApprovalRule,
  type WorkspaceDefinition,
} from '../access/accessPolicy';
import { pathMatcher } from '../access/pathGlobs';
import { ACTIONS, BUILTIN_ROLES, CHANGE_ACTIONS, isOrgAction, type Action } from './actions';
import { limitToKeyScope } from './apiKeyScope';
import { orgRoleDecision } from './orgDecision';
import type { Actor, Decider, Decision, Resource } from './decision';
import * as reasons from './reasons';
import type { RoleSource } from './reasons';
import { effectiveRole } from './effectiveRole';
import { isOwnChange, selfApprovalRefusal } from './selfApproval';
import { countsAsOneOf, permissionsOf } from './rolePermissions';

/** Where a prompt sits under a policy. */
export interface Placement {
  workspace: string;
  env: string;
  /** Whether changing the file is reserved to admins. */
  protected: boolean;
  /**
   * Set when the prompt's own `workspace` field was not used: it names no workspace, or one
   * whose paths do not cover the file (the path places a prompt; the field only chooses
   * among workspaces whose globs cover it).
   */
  ignoredWorkspace?: { name: string; why: 'unknown' | 'not-covering' };
}

/** A workspace and env where someone may approve reviews (see CompiledPolicy.approvalPlaces). */
export interface ApprovalPlace {
  workspace: string;
  env: string;
  /** Whether a review's author may approve it here. */
  selfApproval: boolean;
}

const ACTION_INDEX = new Map<Action, number>(ACTIONS.map((a, i) => [a, i]));
const N_ACTIONS = ACTIONS.length;
const PATH_CACHE_LIMIT = 100_000;

interface EnvRuleTable {
  /** Per role index: 1 when the role may change prompts here, or null when the env has no `edit` list. */
  edit: Uint8Array | null;
  publish: Uint8Array | null;
  /** Per role index: 1 when the role's approval counts. */
  approve: Uint8Array;
  /** The approval rule in force here (env rule, else workspace rule, else the file's default). */
  approvals: ApprovalRule;
  selfApproval: boolean;
}

interface CompiledWorkspace {
  def: WorkspaceDefinition;
  envs: EnvRuleTable[];
  /** The rule for an env the file does not list (no env rule): the workspace's, else the file's default. */
  approvals: ApprovalRule;
}

/**
 * The access rules compiled for speed: roles become permission bit sets, every role
 * list becomes a lookup table, path placement is cached per path, and decisions are
 * shared frozen objects built once per (workspace, env, role, action). The semantics
 * are referenceDecide.ts's; a randomized test holds the two to 0 disagreements.
 */
export class CompiledPolicy implements Decider {
  private readonly roleNames: string[];
  private readonly roleIndex = new Map<string, number>();
  private readonly permissions: Uint32Array;
  private readonly workspaces: CompiledWorkspace[];
  private readonly workspaceIndex = new Map<string, number>();
  private readonly defaultWorkspace: number;
  private readonly envIndex = new Map<string, number>();
  private readonly workspaceMatchers: ((path: string) => boolean)[];
  private readonly isProtectedMatch: (path: string) => boolean;
  private readonly pathCache = new Map<string, number>();
  private readonly decisions: (Decision | undefined)[];

  constructor(readonly policy: AccessPolicy) {
    this.roleNames = [...BUILTIN_ROLES, ...Object.keys(policy.roles)];
    this.roleNames.forEach((r, i) => this.roleIndex.set(r, i));
    this.permissions = new Uint32Array(this.roleNames.length);
    this.roleNames.forEach((r, i) => (this.permissions[i] = bitsOf([...permissionsOf(this.policy, r)])));
    policy.environments.forEach((e, i) => this.envIndex.set(e, i));

    const defs = policy.workspaces.some((w) => w.name === DEFAULT_WORKSPACE)
      ? policy.workspaces
      : [...policy.workspaces, { name: DEFAULT_WORKSPACE, paths: [], members: {}, environments: {} }];
    this.workspaces = defs.map((def) => this.compileWorkspace(def));
    defs.forEach((w, i) => this.workspaceIndex.set(w.name, i));
    this.defaultWorkspace = this.workspaceIndex.get(DEFAULT_WORKSPACE)!;
    this.workspaceMatchers = defs.map((w) => pathMatcher(w.paths));
    this.isProtectedMatch = pathMatcher([...ALWAYS_PROTECTED, ...policy.protected]);
    this.decisions = new Array<Decision | undefined>(
      defs.length * policy.environments.length * this.roleNames.length * 2 * N_ACTIONS,
    );
  }

  decide(actor: Actor, action: Action, resource: Resource): Decision {
    const d = this.decideForPerson(actor, action, resource);
    return actor.apiKey ? limitToKeyScope(d, actor.apiKey, action, resource) : d;
  }

  private decideForPerson(actor: Actor, action: Action, resource: Resource): Decision {
    const a = ACTION_INDEX.get(action);
    if (a === undefined) throw new TypeError(`unknown action ${JSON.stringify(action)}`);
    if (isOrgAction(action)) return orgRoleDecision(actor, action);

    let ws: number;
    let prot = false;
    if (resource.kind === 'org') ws = this.defaultWorkspace;
    else if (resource.kind === 'workspace') ws = this.workspaceIndex.get(resource.name) ?? this.defaultWorkspace;
    else {
      const placed = this.placePath(resource.path);
      ws = this.workspaceFor(resource.path, placed, resource.kind === 'prompt' ? resource.workspace : undefined).ws;
      prot = (placed & 1) === 1 && CHANGE_ACTIONS.has(action);
    }
    const w = this.workspaces[ws];
    const isPrompt = resource.kind === 'prompt';
    const envName = isPrompt ? (resource.env ?? this.policy.environments[0]) : undefined;

    if (prot && actor.role !== 'admin') {
      const path = (resource as { path: string }).path;
      return {
        allowed: false,
        rule: 'protected-path',
        reason: reasons.protectedReason(action, false, path, actor.role),
        role: actor.role,
        workspace: w.def.name,
        env: envName,
      };
    }

    const { role, source } = this.roleIn(w, actor);
    let d: Decision;
    if (!isPrompt) {
      d = this.cached(ws, -1, role, source, a, action);
    } else {
      const env = this.envIndex.get(envName!);
      if (env === undefined) {
        d =
          action === 'prompt.read' || action === 'prompt.run'
            ? this.ruleDecision(ws, envName, undefined, role, source, action)
            : {
                allowed: false,
                rule: 'unknown-env',
                reason: reasons.unknownEnvReason(envName!, this.policy.environments),
                role: this.roleNames[role],
                workspace: w.def.name,
                env: envName,
              };
      } else {
        d = this.cached(ws, env, role, source, a, action);
        if (action === 'review.approve' && d.allowed && resource.author !== undefined && !w.envs[env].selfApproval) {
          if (isOwnChange(resource.author, actor.username)) return selfApprovalRefusal(d.role!, w.def.name, envName!);
        }
      }
    }
    if (prot && d.allowed) {
      return {
        ...d,
        rule: 'protected-path',
        reason: reasons.protectedReason(action, true, (resource as { path: string }).path, actor.role),
      };
    }
    return d;
  }

  /**
   * Every workspace and env where `review.approve` is granted to `actor` by role and env
   * rule (API key scope included), and whether the author may approve there: the places
   * a review they may approve can be in. Per review, protected paths and self-approval
   * still apply: decide() each review as usual; this only narrows what to look at.
   */
  approvalPlaces(actor: Actor): ApprovalPlace[] {
    const a = ACTION_INDEX.get('review.approve')!;
    const places: ApprovalPlace[] = [];
    this.workspaces.forEach((w, ws) => {
      const { role, source } = this.roleIn(w, actor);
      this.policy.environments.forEach((env, e) => {
        const person = this.cached(ws, e, role, source, a, 'review.approve');
        const d = actor.apiKey
          ? limitToKeyScope(person, actor.apiKey, 'review.approve', {
              kind: 'prompt',
              path: '',
              workspace: w.def.name,
              env,
            })
          : person;
        if (d.allowed) places.push({ workspace: w.def.name, env, selfApproval: w.envs[e].selfApproval });
      });
    });
    return places;
  }

  /**
   * The approval rule in force for prompts in `workspace` and `env` (an unknown workspace
   * is `default`): a lookup, so a page of reviews does not search the workspaces per review.
   */
  approvalRule(workspace: string, env: string): ApprovalRule {
    const w = this.workspaces[this.workspaceIndex.get(workspace) ?? this.defaultWorkspace];
    const e = this.envIndex.get(env);
    if (e !== undefined) return w.envs[e].approvals;
    return (Object.hasOwn(w.def.environments, env) ? w.def.environments[env].approvals : undefined) ?? w.approvals;
  }

  /** The actor's effective role in a workspace (effectiveRole.ts), as an index into the role tables. */
  private roleIn(w: CompiledWorkspace, actor: Actor): { role: number; source: RoleSource } {
    const { role, source } = effectiveRole(w.def, actor);
    return { role: this.roleIndex.get(role)!, source };
  }

  /** The workspace, env and protection of a prompt at `path` with the given own fields. */
  placement(path: string, declaredWorkspace?: string, declaredEnv?: string): Placement {
    const placed = this.placePath(path);
    const { ws, ignored } = this.workspaceFor(path, placed, declaredWorkspace);
    return {
      workspace: this.workspaces[ws].def.name,
      env: declaredEnv ?? this.policy.environments[0],
      protected: (placed & 1) === 1,
      ...(ignored && { ignoredWorkspace: { name: declaredWorkspace!, why: ignored } }),
    };
  }

  /**
   * The one rule for a prompt's workspace: its path places it (first matching glob), and
   * its own `workspace` field counts only when it names a workspace whose globs also cover
   * the path, choosing among overlapping ones.
   */
  private workspaceFor(
    path: string,
    placed: number,
    declared: string | undefined,
  ): { ws: number; ignored?: 'unknown' | 'not-covering' } {
    if (declared === undefined) return { ws: placed >> 1 };
    const named = this.workspaceIndex.get(declared);
    if (named === undefined) return { ws: placed >> 1, ignored: 'unknown' };
    if (named === placed >> 1 || this.workspaceMatchers[named](path)) return { ws: named };
    return { ws: placed >> 1, ignored: 'not-covering' };
  }

  /** Workspace index by path globs (file order), shifted left once, with the protected bit. */
  private placePath(path: string): number {
    const hit = this.pathCache.get(path);
    if (hit !== undefined) return hit;
    let ws = this.defaultWorkspace;
    for (let i = 0; i < this.workspaceMatchers.length; i++) {
      if (this.workspaceMatchers[i](path)) {
        ws = i;
        break;
      }
    }
    const value = (ws << 1) | (this.isProtectedMatch(path) ? 1 : 0);
    if (this.pathCache.size >= PATH_CACHE_LIMIT) this.pathCache.clear();
    this.pathCache.set(path, value);
    return value;
  }

  private cached(ws: number, env: number, role: number, source: RoleSource, a: number, action: Action): Decision {
    // env -1 (non-prompt resources) shares slot 0's table but has no env rules, so keep it apart.
    if (env < 0) return this.ruleDecision(ws, undefined, undefined, role, source, action);
    const key =
      (((ws * this.policy.environments.length + env) * this.roleNames.length + role) * 2 +
        (source === 'member' ? 1 : 0)) *
        N_ACTIONS +
      a;
    let d = this.decisions[key];
    if (d === undefined) {
      d = Object.freeze(this.ruleDecision(ws, this.policy.environments[env], env, role, source, action));
      this.decisions[key] = d;
    }
    return d;
  }

  /** Role permission, then the env rule's narrowing list (without self-approval, which needs the author). */
  private ruleDecision(
    ws: number,
    envName: string | undefined,
    env: number | undefined,
    role: number,
    source: RoleSource,
    action: Action,
  ): Decision {
    const w = this.workspaces[ws];
    const roleName = this.roleNames[role];
    const workspace = w.def.name;
    const has = (this.permissions[role] & (1 << ACTION_INDEX.get(action)!)) !== 0;
    let list: Uint8Array | null = null;
    let rule: 'env-edit' | 'env-publish' | 'approval-role' | undefined;
    if (env !== undefined) {
      const table = w.envs[env];
      if (CHANGE_ACTIONS.has(action)) [list, rule] = [table.edit, 'env-edit'];
      else if (action === 'prompt.publish') [list, rule] = [table.publish, 'env-publish'];
      else if (action === 'review.approve') [list, rule] = [table.approve, 'approval-role'];
    }
    if (!has || list === null || rule === undefined) {
      const reason = reasons.rolePermissionReason(
        action,
        has,
        roleName,
        source,
        workspace,
        envName,
        this.holdersOf(action, list),
      );
      return { allowed: has, rule: 'role-permission', reason, role: roleName, workspace, env: envName };
    }
    const allowed = list[role] === 1;
    const names = this.listNames(w.def, envName!, rule);
    return {
      allowed,
      rule,
      reason: reasons.envListReason(action, allowed, names, roleName, source, workspace, envName!),
      role: roleName,
      workspace,
      env: envName,
    };
  }

  /** Roles that have `action` and pass the env's narrowing list (if any). */
  private holdersOf(action: Action, list: Uint8Array | null): string[] {
    const bit = 1 << ACTION_INDEX.get(action)!;
    return reasons.adminLast(
      this.roleNames.filter((_, i) => (this.permissions[i] & bit) !== 0 && (list === null || list[i] === 1)),
    );
  }

  private listNames(
    def: WorkspaceDefinition,
    env: string,
    rule: 'env-edit' | 'env-publish' | 'approval-role',
  ): readonly string[] {
    const envRule = def.environments[env];
    if (rule === 'env-edit') return envRule.edit!;
    if (rule === 'env-publish') return envRule.publish!;
    return (envRule?.approvals ?? def.approvals ?? this.policy.approvals).from;
  }

  private compileWorkspace(def: WorkspaceDefinition): CompiledWorkspace {
    const envs = this.policy.environments.map((env) => {
      const rule = def.environments[env];
      const approvals = rule?.approvals ?? def.approvals ?? this.policy.approvals;
      return {
        edit: rule?.edit ? this.roleTable(rule.edit) : null,
        publish: rule?.publish ? this.roleTable(rule.publish) : null,
        approve: this.roleTable(approvals.from),
        approvals,
        selfApproval: approvals.selfApproval,
      };
    });
    return { def, envs, approvals: def.approvals ?? this.policy.approvals };
  }

  /** 1 for each role that counts as one of `list` (rolePermissions.ts). */
  private roleTable(list: readonly string[]): Uint8Array {
    return Uint8Array.from(this.roleNames, (name) => (countsAsOneOf(this.policy, name, list) ? 1 : 0));
  }
}

function bitsOf(actions: readonly Action[]): number {
  let bits = 0;
  for (const a of actions) bits |= 1 << ACTION_INDEX.get(a)!;
  return bits;
}

export function compilePolicy(policy: AccessPolicy): CompiledPolicy {
  return new CompiledPolicy(policy);
}
