import type { AccessPolicy } from '../access/accessPolicy';
import { ACTIONS, type Action, type BuiltinRole } from './actions';
import { decidingWorkspaces, heldActions } from './heldActions';
import type { RoleSource } from './reasons';
import { effectiveRole } from './effectiveRole';

const DAY = 24 * 60 * 60 * 1000;
export const DEFAULT_REVIEW_DAYS = 90;

/** What the server knows of one account, for the review. Times are epoch ms. */
export interface ReviewedUser {
  username: string;
  role: BuiltinRole;
  emails: readonly string[];
  signingKeys: number;
  serviceAccount: boolean;
  /** The last successful sign-in; null when never (or before the audit log kept it). */
  lastSignInAt: number | null;
  apiKeys: readonly { id: string; name: string; expiresAt: number; lastUsedAt: number | null }[];
  /**
   * The rights this account used in the window, as far as the audit log records use
   * (`tracked`); undefined: not known, so no unused-right flag.
   */
  used?: ReadonlySet<Action>;
}

/** One user's role in one workspace and env: the org role, or the access file's binding there. */
export interface AccessReviewRow {
  username: string;
  orgRole: BuiltinRole;
  workspace: string;
  env: string;
  role: string;
  source: RoleSource;
}

export type AccessReviewFlagKind = 'no-sign-in' | 'unused-right' | 'not-on-server' | 'no-git-email' | 'no-signing-key';

/** Something a reviewer should act on, with what to do about it. */
export interface AccessReviewFlag {
  username: string;
  kind: AccessReviewFlagKind;
  message: string;
  fix: string;
}

export interface AccessReview {
  days: number;
  rows: AccessReviewRow[];
  flags: AccessReviewFlag[];
}

/**
 * Every user × workspace × env with the role that decides there (the same effectiveRole
 * decide() uses: org admins are admin everywhere, else a binding replaces the org role),
 * and the flags a periodic review should act on.
 */
export function accessReview(
  policy: AccessPolicy,
  users: readonly ReviewedUser[],
  now: number,
  days: number = DEFAULT_REVIEW_DAYS,
  /** The rights whose every use the audit log records; only these can be flagged unused. */
  tracked: ReadonlySet<Action> = new Set(),
): AccessReview {
  const workspaces = decidingWorkspaces(policy);
  const rows: AccessReviewRow[] = [];
  const flags: AccessReviewFlag[] = [];
  const known = new Set(users.map((u) => u.username));
  for (const user of users) {
    const held = heldActions(policy, user);
    for (const ws of workspaces) {
      const { role, source } = effectiveRole(ws, { username: user.username, role: user.role });
      for (const env of policy.environments) {
        rows.push({ username: user.username, orgRole: user.role, workspace: ws.name, env, role, source });
      }
    }
    flags.push(...flagsFor(user, now, days));
    const unused = ACTIONS.filter((a) => held.has(a) && tracked.has(a) && user.used && !user.used.has(a));
    if (unused.length > 0) {
      flags.push({
        username: user.username,
        kind: 'unused-right',
        message: `${user.username} has not used ${unused.join(', ')} in ${days} days (from the audit log).`,
        fix: `If ${user.username} does not need ${unused.length === 1 ? 'it' : 'them'}, lower the org role (promptops users set-role) or the workspace binding in .promptops/access.yaml.`,
      });
    }
  }
  const named = new Map<string, string[]>();
  for (const ws of workspaces) {
    for (const member of Object.keys(ws.members)) {
      if (!known.has(member)) named.set(member, [...(named.get(member) ?? []), ws.name]);
    }
  }
  for (const [username, where] of named) {
    flags.push({
      username,
      kind: 'not-on-server',
      message: `${username} is bound in the access file (${where.join(', ')}) but has no account on the server.`,
      fix: `Invite them (promptops invites create ${username} --role viewer) or remove the binding from .promptops/access.yaml and apply it.`,
    });
  }
  return { days, rows, flags };
}

function flagsFor(user: ReviewedUser, now: number, days: number): AccessReviewFlag[] {
  const flags: AccessReviewFlag[] = [];
  const { username } = user;
  // A service account never signs in: its keys are its use.
  if (!user.serviceAccount && (user.lastSignInAt === null || user.lastSignInAt < now - days * DAY)) {
    flags.push({
      username,
      kind: 'no-sign-in',
      message:
        user.lastSignInAt === null
          ? `${username} has never signed in.`
          : `${username} has not signed in for ${Math.floor((now - user.lastSignInAt) / DAY)} days (since ${new Date(user.lastSignInAt).toISOString().slice(0, 10)}).`,
      fix: `If ${username} no longer needs access, remove the account (promptops users remove ${username}) or lower its role.`,
    });
  }
  if (!user.serviceAccount && user.emails.length === 0) {
    flags.push({
      username,
      kind: 'no-git-email',
      message: `${username} has no git email: promptops verify cannot tell their commits apart.`,
      fix: `Add the email their commits carry to the account (an admin: promptops users git-email add ${username} <email>).`,
    });
  }
  if (user.signingKeys === 0) {
    flags.push({
      username,
      kind: 'no-signing-key',
      message: `${username} has no commit-signing key registered: their commits cannot be verified as theirs.`,
      fix: `Have ${username} register one (promptops signing-key add ~/.ssh/id_ed25519.pub); for a service account an admin adds it with --user ${username}.`,
    });
  }
  return flags;
}
