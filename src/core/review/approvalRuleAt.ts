import { DEFAULT_WORKSPACE, type AccessPolicy, type ApprovalRule } from '../access/accessPolicy';
import { approvalRuleFor } from '../policy/referenceDecide';

/** The approval rule in force for prompts in `workspace` and `env` (an unknown workspace is `default`). */
export function approvalRuleAt(policy: AccessPolicy, workspace: string, env: string): ApprovalRule {
  const ws = policy.workspaces.find((w) => w.name === workspace) ??
    policy.workspaces.find((w) => w.name === DEFAULT_WORKSPACE) ?? {
      name: DEFAULT_WORKSPACE,
      paths: [],
      members: {},
      environments: {},
    };
  return approvalRuleFor(policy, ws, env);
}
