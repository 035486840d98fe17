/**
 * `npm run bench:policy`: the same mixed allow/deny requests through our decide(), through
 * @casl/ability (a cached ability per user, workspace and env as conditions) and through
 * casbin's RBAC-with-domains model, in one process run. Then the same at 10× users and
 * workspaces, to show the cost does not grow with the number of rules.
 */
import { createMongoAbility, subject, type MongoAbility } from '@casl/ability';
import { newEnforcer, newModelFromString, type Enforcer } from 'casbin';
import { compilePolicy } from '../src/core/policy/compiledPolicy';
import type { Action } from '../src/core/policy/actions';
import type { Actor } from '../src/core/policy/decision';
import { policyWorkload, WORKLOAD_ACTIONS, type PolicyWorkload } from './policyWorkload';

const CASBIN_MODEL = `
[request_definition]
r = sub, dom, obj, act
[policy_definition]
p = sub, dom, obj, act
[role_definition]
g = _, _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, p.sub, r.dom) && r.dom == p.dom && r.obj == p.obj && r.act == p.act
`;

/** Runs `fn` over all requests repeatedly for about `ms`; returns decisions per second. */
function throughput(n: number, fn: (i: number) => void, ms = 1500): number {
  for (let i = 0; i < n; i++) fn(i); // warm-up
  let done = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() - start < limit) {
    for (let i = 0; i < n; i++) fn(i);
    done += n;
  }
  return done / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** p99 of single calls in microseconds (includes the timer's own cost, so it errs high). */
function p99(n: number, fn: (i: number) => void): number {
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    fn(i);
    samples[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  samples.sort();
  return samples[Math.floor(n * 0.99)];
}

/** The allowed (workspace, env, action) triples for an actor, as a CASL or casbin rule set would hold them. */
function allowedTable(
  w: PolicyWorkload,
  decide: (a: Actor, action: Action, ws: string, env: string) => boolean,
  actor: Actor,
) {
  const out: { workspace: string; env: string; action: string }[] = [];
  for (const ws of w.policy.workspaces) {
    for (const env of w.policy.environments) {
      for (const action of WORKLOAD_ACTIONS)
        if (decide(actor, action, ws.name, env)) out.push({ workspace: ws.name, env, action });
    }
  }
  return out;
}

interface RunResult {
  rules: number;
  allowed: number;
  disagreements: number;
  ours: number;
  oursP99: number;
  casl?: number;
  casbin?: number;
}

async function run(nUsers: number, nWorkspaces: number, withBaselines: boolean): Promise<RunResult> {
  const w = policyWorkload(nUsers, nWorkspaces, 20_000);
  const wsOf = (path: string) => path.split('/')[1];
  const compiled = compilePolicy(w.policy);
  const reqs = w.requests;
  const allowed = reqs.filter((q) => compiled.decide(q.actor, q.action, q.resource).allowed).length;
  const ours = throughput(reqs.length, (i) => compiled.decide(reqs[i].actor, reqs[i].action, reqs[i].resource));
  const oursP99 = p99(reqs.length, (i) => compiled.decide(reqs[i].actor, reqs[i].action, reqs[i].resource));
  if (!withBaselines) return { rules: 0, allowed, disagreements: 0, ours, oursP99 };

  // Rule sets for the baselines are derived from the same access file, so all three must agree.
  const decideIn = (a: Actor, action: Action, ws: string, env: string) =>
    compiled.decide(a, action, { kind: 'prompt', path: `prompts/${ws}/x.prompt`, workspace: ws, env }).allowed;

  // CASL: one ability per user, built before the timed loop ("a cached ability per user").
  const abilities = new Map<string, MongoAbility>();
  for (const u of w.users) {
    const byKey = new Map<string, string[]>();
    for (const t of allowedTable(w, decideIn, u)) {
      const key = `${t.action}\0${t.workspace}`;
      byKey.set(key, [...(byKey.get(key) ?? []), t.env]);
    }
    abilities.set(
      u.username,
      createMongoAbility(
        [...byKey].map(([key, envs]) => {
          const [action, workspace] = key.split('\0');
          return { action, subject: 'Prompt', conditions: { workspace, env: { $in: envs } } };
        }),
      ),
    );
  }
  const caslSubjects = reqs.map((q) => subject('Prompt', { workspace: wsOf(q.resource.path), env: q.resource.env }));

  // casbin: each user's role per workspace (domain); each role's permissions per (workspace, env, action).
  const enforcer: Enforcer = await newEnforcer(newModelFromString(CASBIN_MODEL));
  const grouping: string[][] = [];
  for (const u of w.users) {
    for (const ws of w.policy.workspaces)
      grouping.push([u.username, u.role === 'admin' ? 'admin' : (ws.members[u.username] ?? u.role), ws.name]);
  }
  await enforcer.addGroupingPolicies(grouping);
  const roles = ['viewer', 'editor', 'admin', ...Object.keys(w.policy.roles)];
  const probes = compilePolicy({
    ...w.policy,
    workspaces: w.policy.workspaces.map((ws) => ({
      ...ws,
      members: Object.fromEntries(roles.map((r) => [`__as_${r}`, r])),
    })),
  });
  const perms: string[][] = [];
  for (const role of roles) {
    const probe: Actor =
      role === 'admin' ? { username: '__admin', role: 'admin' } : { username: `__as_${role}`, role: 'viewer' };
    const decideProbe = (a: Actor, action: Action, ws: string, env: string) =>
      probes.decide(a, action, { kind: 'prompt', path: `prompts/${ws}/x.prompt`, workspace: ws, env }).allowed;
    for (const t of allowedTable(w, decideProbe, probe)) perms.push([role, t.workspace, t.env, t.action]);
  }
  await enforcer.addPolicies(perms);

  let disagreements = 0;
  for (let i = 0; i < reqs.length; i++) {
    const q = reqs[i];
    const o = compiled.decide(q.actor, q.action, q.resource).allowed;
    const c = abilities.get(q.actor.username)!.can(q.action, caslSubjects[i]);
    const b = enforcer.enforceSync(q.actor.username, wsOf(q.resource.path), q.resource.env!, q.action);
    if (o !== c || o !== b) disagreements++;
  }
  const casl = throughput(reqs.length, (i) =>
    abilities.get(reqs[i].actor.username)!.can(reqs[i].action, caslSubjects[i]),
  );
  const casbin = throughput(
    2000,
    (i) =>
      enforcer.enforceSync(reqs[i].actor.username, wsOf(reqs[i].resource.path), reqs[i].resource.env!, reqs[i].action),
    1000,
  );
  return { rules: perms.length + grouping.length, allowed, disagreements, ours, oursP99, casl, casbin };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').replace(/,/g, '');
}

async function main() {
  const results = [];
  for (const [u, ws, baselines] of [
    [1000, 20, true],
    [10000, 200, false],
  ] as const) {
    const r = await run(u, ws, baselines);
    results.push(r);
    const vs =
      r.casl && r.casbin
        ? `, casl ${fmt(r.casl)}/s (ours ${(r.ours / r.casl).toFixed(1)}x), casbin ${fmt(r.casbin)}/s (ours ${fmt(r.ours / r.casbin)}x); ${r.disagreements} disagreements`
        : ' (baselines at 1x only)';
    console.log(
      `${u} users, ${ws} workspaces, 10 roles: ${r.allowed}/20000 allowed; ours ${fmt(r.ours)}/s p99 ${r.oursP99.toFixed(2)}us${vs}`,
    );
    if (r.disagreements > 0) process.exitCode = 1;
  }
  const [small, big] = results;
  console.log(
    `scale: at 10x users and workspaces our throughput is ${((big.ours / small.ours) * 100).toFixed(0)}% of 1x, p99 ${big.oursP99.toFixed(2)}us`,
  );
  console.log(
    `policy: ours ${fmt(small.ours)}/s p99 ${small.oursP99.toFixed(2)}us, casl ${fmt(small.casl!)}/s, casbin ${fmt(small.casbin!)}/s`,
  );
}

void main();
