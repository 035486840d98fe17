import type { AccessPolicy, CustomRole, WorkspaceDefinition } from '../src/core/access/accessPolicy';
import type { Action } from '../src/core/policy/actions';
import type { Actor, Resource } from '../src/core/policy/decision';
import { prng, Random } from '../test/support/randomPolicy';

/** A realistic org: users with org roles, workspaces with member bindings, custom roles, prod narrowed. */
export interface PolicyWorkload {
  policy: AccessPolicy;
  users: Actor[];
  requests: { actor: Actor; action: Action; resource: Resource & { kind: 'prompt' } }[];
}

export const WORKLOAD_ACTIONS: Action[] = [
  'prompt.read',
  'prompt.run',
  'prompt.edit',
  'prompt.create',
  'prompt.publish',
  'review.request',
  'review.approve',
  'prompt.delete',
];

export function policyWorkload(nUsers: number, nWorkspaces: number, nRequests: number, seed = 42): PolicyWorkload {
  const r = new Random(prng(seed));
  const custom: CustomRole[] = [
    { name: 'reviewer', extends: 'viewer', allow: ['review.approve'], deny: [] },
    { name: 'publisher', extends: 'editor', allow: ['review.approve', 'prompt.publish'], deny: [] },
    { name: 'member', extends: 'editor', allow: [], deny: ['prompt.publish'] },
    { name: 'developer', extends: 'editor', allow: ['review.approve'], deny: [] },
    { name: 'drafter', extends: 'editor', allow: [], deny: ['prompt.publish', 'review.approve'] },
    { name: 'runner', extends: 'viewer', allow: [], deny: [] },
    { name: 'lead', extends: 'publisher', allow: [], deny: [] },
  ];
  const roleNames = ['viewer', 'editor', 'admin', ...custom.map((c) => c.name)];
  const users: Actor[] = Array.from({ length: nUsers }, (_, i) => ({
    username: `user${i}`,
    role: i % 100 === 0 ? 'admin' : i % 3 === 0 ? 'viewer' : 'editor',
  }));
  const workspaces: WorkspaceDefinition[] = Array.from({ length: nWorkspaces }, (_, w) => {
    const members: Record<string, string> = {};
    for (const u of users) if (r.chance(0.1)) members[u.username] = r.pick(roleNames.filter((n) => n !== 'admin'));
    return {
      name: `ws${w}`,
      paths: [`prompts/ws${w}/**`],
      members,
      environments: {
        prod: {
          edit: ['publisher', 'lead'],
          publish: ['publisher'],
          approvals: { required: 2, from: ['reviewer', 'publisher'], selfApproval: false },
        },
        test: { publish: ['publisher', 'developer'] },
      },
    };
  });
  workspaces.push({ name: 'default', paths: [], members: {}, environments: {} });
  const policy: AccessPolicy = {
    version: 1,
    environments: ['dev', 'test', 'prod'],
    roles: Object.fromEntries(custom.map((c) => [c.name, c])),
    workspaces,
    approvals: { required: 1, from: ['editor'], selfApproval: false },
    protected: ['prompts/shared/**'],
  };
  const requests = Array.from({ length: nRequests }, () => {
    const w = r.int(nWorkspaces);
    return {
      actor: r.pick(users),
      action: r.pick(WORKLOAD_ACTIONS),
      resource: {
        kind: 'prompt' as const,
        path: `prompts/ws${w}/p${r.int(50)}.prompt`,
        env: r.pick(policy.environments),
      },
    };
  });
  return { policy, users, requests };
}
