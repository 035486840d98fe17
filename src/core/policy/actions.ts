/** The named actions every decision is about (DESIGN.md section 3). */
export const ACTIONS = [
  'prompt.read',
  'prompt.run',
  'prompt.create',
  'prompt.edit',
  'prompt.delete',
  'prompt.publish',
  'review.request',
  'review.approve',
  'workspace.create',
  'workspace.delete',
  'user.manage',
  'policy.apply',
  'apikey.manage',
  'user.invite',
  'server.key.rotate',
  'evaluation.run',
] as const;

export type Action = (typeof ACTIONS)[number];

const ACTION_SET: ReadonlySet<string> = new Set(ACTIONS);

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && ACTION_SET.has(value);
}

/** Actions decided by the org role alone, never by a workspace binding. */
const ORG_ACTION_LIST = [
  'workspace.create',
  'workspace.delete',
  'user.manage',
  'policy.apply',
  'server.key.rotate',
] as const satisfies readonly Action[];
/** An action decided by the org role alone, wherever it is asked about. */
export type OrgAction = (typeof ORG_ACTION_LIST)[number];
export const ORG_ACTIONS: ReadonlySet<Action> = new Set<Action>(ORG_ACTION_LIST);

export function isOrgAction(action: Action): action is OrgAction {
  return ORG_ACTIONS.has(action);
}

/** Actions that change a file's content and so fall under protected paths and env `edit` rules. */
export const CHANGE_ACTIONS: ReadonlySet<Action> = new Set<Action>([
  'prompt.create',
  'prompt.edit',
  'prompt.delete',
  'review.request',
]);

export const BUILTIN_ROLES = ['viewer', 'editor', 'admin'] as const;
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];

/** viewer < editor < admin: each role can do everything the ones before it can (the seed's table). */
export function roleAtLeast(role: BuiltinRole, minimum: BuiltinRole): boolean {
  return BUILTIN_ROLES.indexOf(role) >= BUILTIN_ROLES.indexOf(minimum);
}

export function isBuiltinRole(value: unknown): value is BuiltinRole {
  return value === 'viewer' || value === 'editor' || value === 'admin';
}

/**
 * The seed's table: viewer reads and runs; editor also creates, edits, deletes and
 * publishes (and, since reviews are how editors publish, requests and approves reviews,
 * creates workspaces, which the seed's API gives to editors, and manages API keys); admin also manages
 * users, deletes workspaces, applies the access file and rotates the server's signing key.
 */
const VIEWER: readonly Action[] = ['prompt.read', 'prompt.run'];
const EDITOR: readonly Action[] = [
  ...VIEWER,
  'prompt.create',
  'prompt.edit',
  'prompt.delete',
  'prompt.publish',
  'review.request',
  'review.approve',
  'workspace.create',
  // Humanloop: members "run evaluations"; a custom role can take it away or give it to a viewer.
  'evaluation.run',
  // Humanloop grants key management to developers and admins; a custom role or a
  // binding in the `default` workspace can take it away or hand it to a viewer.
  'apikey.manage',
];
// user.invite is decided in `default` like apikey.manage, so a binding can hand it to a
// team lead; an invite never carries a role above its creator's org role (inviteRoutes).
const ADMIN: readonly Action[] = [
  ...EDITOR,
  'workspace.delete',
  'user.manage',
  'policy.apply',
  'user.invite',
  'server.key.rotate',
];

export const BUILTIN_PERMISSIONS: Readonly<Record<BuiltinRole, readonly Action[]>> = {
  viewer: VIEWER,
  editor: EDITOR,
  admin: ADMIN,
};
