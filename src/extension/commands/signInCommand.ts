import * as vscode from 'vscode';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { isUnauthorized } from '../server/serverErrors';
import { resolveServerUrl } from '../server/serverUrl';
import type { SignedInUser } from '../session/sessionState';

/** Arguments for scripted sign-in (tests, other extensions); without them the user is asked. */
export type SignInArgs = { serverUrl?: string } & ({ username: string; password: string } | { token: string } | object);

/** Sign In: username and password, or an access token; the token is kept in SecretStorage. */
export async function signInCommand(
  model: PromptOpsModel,
  log: vscode.LogOutputChannel,
  args?: SignInArgs,
): Promise<SignedInUser | undefined> {
  const serverUrl = args?.serverUrl ?? resolveServerUrl(model.index?.policy.server) ?? (await askServerUrl());
  if (!serverUrl) return undefined;
  let credentials: { username: string; password: string } | { token: string } | undefined =
    args && 'token' in args
      ? { token: args.token }
      : args && 'username' in args
        ? { username: args.username, password: args.password }
        : undefined;
  credentials ??= await askCredentials(serverUrl);
  if (!credentials) return undefined;
  const chosen = credentials;
  try {
    // In the status bar, not a toast: signing in takes a moment, and what follows it ("signed
    // in as …", the hook and key offers) needs the room, as VS Code toasts at most three
    // notifications per 800 ms and sends the rest to the notification center unseen.
    const user = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `PromptOps: signing in to ${serverUrl}…` },
      () =>
        'token' in chosen
          ? model.session.signInWithToken(serverUrl, chosen.token)
          : model.session.signInWithPassword(serverUrl, chosen.username, chosen.password),
    );
    // The role that applies here, not the org role: a reviewer bound in the access file is no "viewer" to them.
    void vscode.window.showInformationMessage(`PromptOps: signed in as ${model.describeIdentity() ?? user.username}.`);
    return user;
  } catch (err) {
    const message = isUnauthorized(err)
      ? 'token' in chosen
        ? 'That token is not valid on this server.'
        : 'Invalid username or password.'
      : (err as Error).message;
    log.warn(`sign-in failed: ${message}`);
    void vscode.window.showErrorMessage(`PromptOps: could not sign in. ${message}`);
    if (args) throw err;
    return undefined;
  }
}

async function askServerUrl(): Promise<string | undefined> {
  const url = await vscode.window.showInputBox({
    title: 'PromptOps: Sign In',
    prompt: 'Server URL (set `promptops.serverUrl` or `server:` in .promptops/access.yaml to skip this)',
    value: 'http://127.0.0.1:4700',
    ignoreFocusOut: true,
    validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'An http:// or https:// URL'),
  });
  return url?.trim().replace(/\/+$/, '');
}

async function askCredentials(
  serverUrl: string,
): Promise<{ username: string; password: string } | { token: string } | undefined> {
  const method = await vscode.window.showQuickPick(
    [
      { label: '$(account) Username and password', id: 'password' as const },
      { label: '$(key) Access token', id: 'token' as const, detail: 'e.g. the server’s PROMPTOPS_TOKEN' },
    ],
    { title: `PromptOps: Sign In to ${serverUrl}`, ignoreFocusOut: true },
  );
  if (!method) return undefined;
  if (method.id === 'token') {
    const token = await vscode.window.showInputBox({
      title: 'PromptOps: Access token',
      password: true,
      ignoreFocusOut: true,
    });
    return token ? { token } : undefined;
  }
  const username = await vscode.window.showInputBox({ title: 'PromptOps: Username', ignoreFocusOut: true });
  if (!username) return undefined;
  const password = await vscode.window.showInputBox({
    title: `PromptOps: Password for ${username}`,
    password: true,
    ignoreFocusOut: true,
  });
  return password ? { username, password } : undefined;
}
