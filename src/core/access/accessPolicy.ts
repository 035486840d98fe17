import type { Action, BuiltinRole } from '../policy/actions';

/**
 * The access file (`.promptops/access.yaml`) after parsing and validation: every role
 * named anywhere exists, role inheritance has no cycle, every glob compiled fine.
 * Built-in roles are not listed in `roles`; they are fixed (see actions.ts).
 */
export interface AccessPolicy {
  version: 1;
  /** The PromptOps server URL, if the file names one. */
  server?: string;
  /** The server's Ed25519 public key (base64 SPKI DER or PEM), pinned for offline verification. */
  publicKey?: string;
  /**
   * The branch releases are committed to and pushed, if the file names one; otherwise the
   * remote's default branch (`origin/HEAD`), else the current branch (see `releaseBranchFor`).
   */
  releaseBranch?: string;
  /** Commits changing gated files must be signed by a key in the user directory (see the schema). */
  requireSignedCommits?: boolean;
  /** Trust epoch: signed commits are required from this commit's descendants on (implies the above). */
  signedCommitsFrom?: string;
  /** Declared environments, in order; the first is the default for prompts that name none. */
  environments: string[];
  /** Custom roles by name, in file order. */
  roles: Record<string, CustomRole>;
  /** Workspaces in file order; `default` is always present (declared or implicit). */
  workspaces: WorkspaceDefinition[];
  /** The approval rule where neither the workspace nor its env rule gives one. */
  approvals: ApprovalRule;
  /**
   * Approvals a change to this file needs (from users allowed `policy.apply`, not its
   * author) before the server applies it, when the file declares `policyApprovals`.
   */
  policyApprovals?: number;
  /** Protected path globs as written, not including the always-protected `.promptops/**`. */
  protected: string[];
}

export interface CustomRole {
  name: string;
  /** A built-in or another custom role. */
  extends: string;
  allow: Action[];
  deny: Action[];
  description?: string;
}

export interface ApprovalRule {
  /** Approvals needed, at least 1. */
  required: number;
  /** Roles whose approval counts (a role counts as every role it extends; admin always counts). */
  from: string[];
  /** Whether the author of a change may approve it. Default false. */
  selfApproval: boolean;
  /** A passing server-run evaluation of the exact head that publishing needs, when declared. */
  evaluations?: EvaluationRule;
}

/** `evaluations: { required: true, passRate: 1.0, runs: 3 }` on an approval rule. */
export interface EvaluationRule {
  required: boolean;
  /** The pass rate a run must reach, 0 to 1. Default 1. */
  passRate: number;
  /** Runs per test case. Default 1. */
  runs: number;
}

export interface EnvironmentRule {
  /** Roles that may create, edit, delete and request review of prompts in this env; absent: any role with the action. */
  edit?: string[];
  /** Roles that may publish prompts in this env; absent: any role with prompt.publish. */
  publish?: string[];
  approvals?: ApprovalRule;
}

export interface WorkspaceDefinition {
  name: string;
  description?: string;
  /** Path globs (picomatch syntax, repo-relative, forward slashes) that place prompts here. */
  paths: string[];
  /** username → role; replaces the user's org role inside this workspace (an org admin stays admin). */
  members: Record<string, string>;
  /** Rules per env name; envs not listed have no extra rule. */
  environments: Record<string, EnvironmentRule>;
  /** Workspace-wide approval rule, overriding the top-level one. */
  approvals?: ApprovalRule;
}

export const DEFAULT_WORKSPACE = 'default';
export const DEFAULT_ENVIRONMENTS: readonly string[] = ['dev', 'test', 'prod'];
export const ALWAYS_PROTECTED: readonly string[] = ['.promptops/**'];
export const ACCESS_FILE_PATH = '.promptops/access.yaml';
export const DEFAULT_APPROVAL_RULE: Readonly<ApprovalRule> = Object.freeze({
  required: 1,
  from: ['editor'],
  selfApproval: false,
});

export type { Action, BuiltinRole };
