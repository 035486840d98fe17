import type {
  AccessFileDocument,
  ApprovalRuleDocument,
  EnvironmentRuleDocument,
  RoleDocument,
  WorkspaceDocument,
} from './accessFileDocument';
import {
  ALWAYS_PROTECTED,
  DEFAULT_APPROVAL_RULE,
  DEFAULT_ENVIRONMENTS,
  DEFAULT_WORKSPACE,
  type AccessPolicy,
  type ApprovalRule,
  type CustomRole,
  type EnvironmentRule,
  type WorkspaceDefinition,
} from './accessPolicy';

/**
 * A validated access file as the policy code wants it: defaults filled in, workspaces as
 * an ordered list that always holds `default`, nothing shared with the input.
 *
 * Name-keyed records (roles, members, environment rules) have no prototype, so a lookup
 * such as `members[username]` for a user called `constructor` finds nothing rather than
 * Object.prototype's function.
 */
export function normalizeAccessPolicy(doc: AccessFileDocument): AccessPolicy {
  const policy: AccessPolicy = {
    version: 1,
    environments: doc.environments ? [...doc.environments] : [...DEFAULT_ENVIRONMENTS],
    roles: recordOf(Object.entries(doc.roles ?? {}).map(([name, role]) => [name, customRole(name, role)])),
    workspaces: workspaces(doc.workspaces ?? {}),
    approvals: doc.approvals ? approvalRule(doc.approvals) : approvalRule(DEFAULT_APPROVAL_RULE),
    // `.promptops/**` is added by the policy code; listing it here too would only duplicate it.
    protected: (doc.protected ?? []).filter((glob) => !ALWAYS_PROTECTED.includes(glob)),
  };
  if (doc.server !== undefined) policy.server = doc.server;
  if (doc.publicKey !== undefined) policy.publicKey = doc.publicKey;
  if (doc.releaseBranch !== undefined) policy.releaseBranch = doc.releaseBranch;
  if (doc.requireSignedCommits !== undefined) policy.requireSignedCommits = doc.requireSignedCommits;
  if (doc.signedCommitsFrom !== undefined) policy.signedCommitsFrom = doc.signedCommitsFrom;
  if (doc.policyApprovals !== undefined) policy.policyApprovals = doc.policyApprovals.required;
  return policy;
}

/** A record with no prototype, in the given order. */
export function recordOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) record[key] = value;
  return record;
}

function customRole(name: string, role: RoleDocument): CustomRole {
  const out: CustomRole = { name, extends: role.extends, allow: [...(role.allow ?? [])], deny: [...(role.deny ?? [])] };
  if (role.description !== undefined) out.description = role.description;
  return out;
}

function workspaces(declared: Record<string, WorkspaceDocument>): WorkspaceDefinition[] {
  const list = Object.entries(declared).map(([name, ws]) => workspace(name, ws));
  // The seed: there is always a built-in default workspace. Declared or not, it exists;
  // undeclared, it has no globs, so its place in the (glob-matching) order is irrelevant.
  if (!list.some((ws) => ws.name === DEFAULT_WORKSPACE)) list.push(workspace(DEFAULT_WORKSPACE, {}));
  return list;
}

function workspace(name: string, ws: WorkspaceDocument): WorkspaceDefinition {
  const out: WorkspaceDefinition = {
    name,
    paths: [...(ws.paths ?? [])],
    members: recordOf(Object.entries(ws.members ?? {})),
    environments: recordOf(Object.entries(ws.environments ?? {}).map(([env, rule]) => [env, environmentRule(rule)])),
  };
  if (ws.description !== undefined) out.description = ws.description;
  if (ws.approvals) out.approvals = approvalRule(ws.approvals);
  return out;
}

function environmentRule(rule: EnvironmentRuleDocument): EnvironmentRule {
  const out: EnvironmentRule = {};
  if (rule.edit) out.edit = [...rule.edit];
  if (rule.publish) out.publish = [...rule.publish];
  if (rule.approvals) out.approvals = approvalRule(rule.approvals);
  return out;
}

function approvalRule(rule: ApprovalRuleDocument): ApprovalRule {
  const out: ApprovalRule = { required: rule.required, from: [...rule.from], selfApproval: rule.selfApproval ?? false };
  const e = rule.evaluations;
  if (e) out.evaluations = { required: e.required, passRate: e.passRate ?? 1, runs: e.runs ?? 1 };
  return out;
}
