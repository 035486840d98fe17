import * as vscode from 'vscode';
import { BUILTIN_ROLES, isBuiltinRole, type BuiltinRole } from '../../core/policy/actions';
import { MIN_PASSWORD_LENGTH, type UserDto } from '../../shared/api/users';
import type { Session } from '../session/session';
import type { UsersTreeDataProvider } from '../views/users/usersTreeDataProvider';
import { UserNode } from '../views/users/userNode';

/** Scripted arguments (tests); without them the user is asked, and removal confirms in a modal. */
export interface AddUserArgs {
  username: string;
  password: string;
  role: BuiltinRole;
}
export type UserTarget = UserNode | { username: string };

function findUser(users: UsersTreeDataProvider, target: UserTarget | undefined): UserDto | undefined {
  if (target instanceof UserNode) return target.user;
  return target ? users.loaded.find((u) => u.username === target.username) : undefined;
}

async function pickUser(users: UsersTreeDataProvider, title: string): Promise<UserDto | undefined> {
  const picked = await vscode.window.showQuickPick(
    users.loaded.map((u) => ({ label: u.username, description: u.role, user: u })),
    { title },
  );
  return picked?.user;
}

async function pickRole(title: string, current?: BuiltinRole): Promise<BuiltinRole | undefined> {
  const picked = await vscode.window.showQuickPick(
    BUILTIN_ROLES.map((r) => ({ label: r, description: r === current ? 'current' : undefined })),
    { title },
  );
  return picked && isBuiltinRole(picked.label) ? picked.label : undefined;
}

async function reportFailure(action: string, err: unknown): Promise<undefined> {
  void vscode.window.showErrorMessage(`PromptOps: could not ${action}. ${(err as Error).message}`);
  return undefined;
}

export async function addUserCommand(
  session: Session,
  users: UsersTreeDataProvider,
  args?: AddUserArgs,
): Promise<UserDto | undefined> {
  const username =
    args?.username ??
    (await vscode.window.showInputBox({ title: 'PromptOps: Add User', prompt: 'Username', ignoreFocusOut: true }));
  if (!username) return undefined;
  const password =
    args?.password ??
    (await vscode.window.showInputBox({
      title: `PromptOps: Password for ${username}`,
      password: true,
      ignoreFocusOut: true,
      // Length only; the server also refuses common passwords, and says why.
      validateInput: (v) =>
        [...v].length >= MIN_PASSWORD_LENGTH ? undefined : `At least ${MIN_PASSWORD_LENGTH} characters`,
    }));
  if (!password) return undefined;
  const role = args?.role ?? (await pickRole(`PromptOps: Role for ${username}`));
  if (!role) return undefined;
  try {
    const user = await session.api().createUser({ username, password, role });
    await users.reload();
    void vscode.window.showInformationMessage(`PromptOps: added ${user.username} (${user.role}).`);
    return user;
  } catch (err) {
    if (args) throw err;
    return reportFailure(`add ${username}`, err);
  }
}

export async function changeUserRoleCommand(
  session: Session,
  users: UsersTreeDataProvider,
  target?: UserTarget,
  role?: BuiltinRole,
): Promise<UserDto | undefined> {
  const user = findUser(users, target) ?? (await pickUser(users, 'PromptOps: Change Role of…'));
  if (!user) return undefined;
  const next = role ?? (await pickRole(`PromptOps: New role for ${user.username}`, user.role));
  if (!next || next === user.role) return undefined;
  try {
    const updated = await session.api().updateUser(user.id, { role: next });
    await users.reload();
    void vscode.window.showInformationMessage(
      `PromptOps: ${updated.username} is now ${updated.role}; it applies on their next request.`,
    );
    return updated;
  } catch (err) {
    if (role) throw err;
    return reportFailure(`change ${user.username}'s role`, err);
  }
}

export async function removeUserCommand(
  session: Session,
  users: UsersTreeDataProvider,
  target?: UserTarget,
  options?: { confirmed: boolean },
): Promise<boolean> {
  const user = findUser(users, target) ?? (await pickUser(users, 'PromptOps: Remove User'));
  if (!user) return false;
  if (!options?.confirmed) {
    const remove = 'Remove';
    const answer = await vscode.window.showWarningMessage(
      `Remove ${user.username} (${user.role}) from the PromptOps server?`,
      {
        modal: true,
        detail: 'Their sessions end at once. Their reviews, approvals and releases stay in the audit log.',
      },
      remove,
    );
    if (answer !== remove) return false;
  }
  try {
    await session.api().deleteUser(user.id);
    await users.reload();
    void vscode.window.showInformationMessage(`PromptOps: removed ${user.username}.`);
    return true;
  } catch (err) {
    if (options) throw err;
    await reportFailure(`remove ${user.username}`, err);
    return false;
  }
}
