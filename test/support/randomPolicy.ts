import {
  DEFAULT_APPROVAL_RULE,
  type AccessPolicy,
  type ApprovalRule,
  type CustomRole,
  type EnvironmentRule,
  type WorkspaceDefinition,
} from '../../src/core/access/accessPolicy';
import { ACTIONS, BUILTIN_ROLES, type Action, type BuiltinRole } from '../../src/core/policy/actions';
import type { Actor, Resource } from '../../src/core/policy/decision';

/** A small seeded PRNG (mulberry32) so a failing case can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  subset<T>(items: readonly T[], p = 0.3): T[] {
    return items.filter(() => this.chance(p));
  }
}

export const USERS = ['alice', 'bob', 'carol', 'dan', 'erin', 'frank', 'grace', 'heidi'];
const GLOBS = [
  'prompts/support/**',
  'prompts/sales/**',
  'prompts/*/prod/**',
  '**/*.prompty',
  'prompts/**/shared/*',
  'apps/*/prompts/**',
  'prompts/support/legal/**',
];
export const PATHS = [
  'prompts/support/greeting.prompt',
  'prompts/support/legal/terms.prompt.yml',
  'prompts/sales/pitch.prompty',
  'prompts/sales/prod/close.prompt.md',
  'prompts/hr/shared/policy.prompt',
  'apps/web/prompts/hello.prompt',
  'apps/web/prompts/x.prompty',
  'misc/readme.prompt.md',
  '.promptops/access.yaml',
  '.promptops/published.yaml',
  'prompts/support/.hidden/a.prompt',
];

/** A random but valid access policy: roles extend earlier roles only, so there are no cycles. */
export function randomPolicy(r: Random): AccessPolicy {
  const environments = r.chance(0.8) ? ['dev', 'test', 'prod'] : ['development', 'staging', 'prod'];
  const roles: Record<string, CustomRole> = {};
  const roleNames: string[] = [...BUILTIN_ROLES];
  const nRoles = r.int(5);
  for (let i = 0; i < nRoles; i++) {
    const name = `role${i}`;
    roles[name] = {
      name,
      extends: r.pick(roleNames),
      allow: r.subset<Action>(ACTIONS, 0.15),
      deny: r.subset<Action>(ACTIONS, 0.15),
    };
    roleNames.push(name);
  }
  const rule = (): ApprovalRule => ({
    required: 1 + r.int(3),
    from: r.subset(roleNames, 0.35),
    selfApproval: r.chance(0.3),
  });
  const workspace = (name: string): WorkspaceDefinition => {
    const members: Record<string, string> = {};
    for (const u of r.subset(USERS, 0.3)) members[u] = r.pick(roleNames);
    const envRules: Record<string, EnvironmentRule> = {};
    for (const env of r.subset(environments, 0.5)) {
      const er: EnvironmentRule = {};
      if (r.chance(0.6)) er.edit = r.subset(roleNames, 0.3);
      if (r.chance(0.6)) er.publish = r.subset(roleNames, 0.3);
      if (r.chance(0.5)) er.approvals = rule();
      envRules[env] = er;
    }
    const ws: WorkspaceDefinition = {
      name,
      paths: name === 'default' ? [] : r.subset(GLOBS, 0.3),
      members,
      environments: envRules,
    };
    if (r.chance(0.3)) ws.approvals = rule();
    return ws;
  };
  const names = ['support', 'sales', 'web', 'legal'].filter(() => r.chance(0.6));
  const workspaces = [...names, 'default'].map(workspace);
  if (r.chance(0.5)) workspaces.push(workspaces.splice(workspaces.length - 1, 1)[0]);
  return {
    version: 1,
    environments,
    roles,
    workspaces,
    approvals: r.chance(0.5) ? rule() : { ...DEFAULT_APPROVAL_RULE, from: [...DEFAULT_APPROVAL_RULE.from] },
    protected: r.subset(['prompts/**/shared/*', 'prompts/support/legal/**', 'apps/**'], 0.3),
  };
}

export function randomActor(r: Random, policy?: AccessPolicy): Actor {
  const actor: Actor = { username: r.pick(USERS), role: r.pick<BuiltinRole>(BUILTIN_ROLES) };
  // Some requests come with an API key of the user's: a random scope over the same names.
  if (policy && r.chance(0.25)) {
    actor.apiKey = { name: 'k', actions: r.subset<Action>(ACTIONS, 0.6) };
    if (r.chance(0.5)) actor.apiKey.workspaces = r.subset([...policy.workspaces.map((w) => w.name), 'default'], 0.5);
    if (r.chance(0.5)) actor.apiKey.envs = r.subset(policy.environments, 0.5);
  }
  return actor;
}

export function randomResource(r: Random, policy: AccessPolicy): Resource {
  const k = r.int(10);
  if (k === 0) return { kind: 'org' };
  if (k === 1) return { kind: 'workspace', name: r.chance(0.8) ? r.pick(policy.workspaces).name : 'nope' };
  if (k === 2) return { kind: 'file', path: r.pick(PATHS) };
  const res: Resource = { kind: 'prompt', path: r.pick(PATHS) };
  if (r.chance(0.3)) res.workspace = r.chance(0.8) ? r.pick(policy.workspaces).name : 'unknown-ws';
  if (r.chance(0.7)) res.env = r.chance(0.9) ? r.pick(policy.environments) : 'qa';
  if (r.chance(0.5)) res.author = r.chance(0.5) ? r.pick(USERS) : r.pick(USERS).toUpperCase();
  return res;
}
