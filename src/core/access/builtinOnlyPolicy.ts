import { DEFAULT_APPROVAL_RULE, DEFAULT_ENVIRONMENTS, type AccessPolicy } from './accessPolicy';

/** A repository with no access file: built-in roles only, every prompt in `default`, `.promptops/**` still protected. */
export function builtinOnlyPolicy(): AccessPolicy {
  return {
    version: 1,
    environments: [...DEFAULT_ENVIRONMENTS],
    roles: {},
    workspaces: [{ name: 'default', paths: [], members: {}, environments: {} }],
    approvals: { ...DEFAULT_APPROVAL_RULE, from: [...DEFAULT_APPROVAL_RULE.from] },
    protected: [],
  };
}
