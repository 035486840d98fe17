import type { Action } from './actions';
import type { BuiltinRole } from './actions';
import type { ApiKeyScope } from './apiKeyScope';

/** Who is asking: a username and the org role the server holds for them. */
export interface Actor {
  username: string;
  role: BuiltinRole;
  /**
   * Set when the request came with an API key of this user's: every decision is then
   * the intersection of the key's scope and the user's own (current) rights.
   */
  apiKey?: ApiKeyScope;
}

/** What the action is about. */
export type Resource =
  | {
      kind: 'prompt';
      /** Repo-relative path, forward slashes. */
      path: string;
      /** The prompt's own `workspace` field, if any: it chooses among the workspaces whose paths cover the file. */
      workspace?: string;
      /** The prompt's own `env` field; absent means the policy's default env. */
      env?: string;
      /** The author of the change being reviewed (for review.approve). */
      author?: string;
    }
  /** Any other repo file, e.g. the access file itself: only protected paths matter. */
  | { kind: 'file'; path: string }
  | { kind: 'workspace'; name: string }
  | { kind: 'org' };

export type PromptResource = Extract<Resource, { kind: 'prompt' }>;

/** Which rule decided; stable identifiers a UI or test can key on. */
export type RuleId =
  | 'org-role' // org-scoped action decided by the org role
  | 'protected-path' // protected path: admins only
  | 'role-permission' // the effective role has (or lacks) the action
  | 'unknown-env' // the prompt names an env the access file does not declare
  | 'env-edit' // the env rule's `edit` list
  | 'env-publish' // the env rule's `publish` list
  | 'approval-role' // the approval rule's `from` list
  | 'self-approval' // the approval rule forbids approving one's own change
  | 'api-key-scope'; // the API key's scope leaves the action, workspace or env out

export interface Decision {
  allowed: boolean;
  rule: RuleId;
  /** A sentence a person understands, e.g. "Read-only: prod prompts in `support` need the `publisher` role; you are `editor`." */
  reason: string;
  /** The role that counted (after workspace bindings), when one did. */
  role?: string;
  workspace?: string;
  env?: string;
}

export interface Decider {
  decide(actor: Actor, action: Action, resource: Resource): Decision;
}
