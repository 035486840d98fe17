import type { Action } from '../policy/actions';

/**
 * The access file as written, once it has passed the JSON Schema
 * (`schemas/access.schema.json`): every field has the right type, but role references,
 * environments and globs are not checked yet and nothing is defaulted.
 */
export interface AccessFileDocument {
  version: 1;
  server?: string;
  publicKey?: string;
  releaseBranch?: string;
  requireSignedCommits?: boolean;
  signedCommitsFrom?: string;
  environments?: string[];
  roles?: Record<string, RoleDocument>;
  workspaces?: Record<string, WorkspaceDocument>;
  approvals?: ApprovalRuleDocument;
  policyApprovals?: { required: number };
  protected?: string[];
}

export interface RoleDocument {
  extends: string;
  allow?: Action[];
  deny?: Action[];
  description?: string;
}

export interface WorkspaceDocument {
  description?: string;
  paths?: string[];
  members?: Record<string, string>;
  approvals?: ApprovalRuleDocument;
  environments?: Record<string, EnvironmentRuleDocument>;
}

export interface EnvironmentRuleDocument {
  edit?: string[];
  publish?: string[];
  approvals?: ApprovalRuleDocument;
}

export interface ApprovalRuleDocument {
  required: number;
  from: string[];
  selfApproval?: boolean;
  evaluations?: { required: boolean; passRate?: number; runs?: number };
}
