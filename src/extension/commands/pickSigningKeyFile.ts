import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

const SSH_KEYGEN = 'ssh-keygen -t ed25519';

/**
 * Asks which public key to sign commits with: the `~/.ssh/*.pub` files, or any file from a
 * file picker. The user's choice only, never a guess: which key is theirs is not ours to decide.
 */
export async function pickSigningKeyFile(): Promise<string | undefined> {
  const sshDir = join(homedir(), '.ssh');
  let found: string[] = [];
  try {
    found = readdirSync(sshDir).filter((name) => name.endsWith('.pub'));
  } catch {
    // No ~/.ssh: only the file picker is left.
  }
  const browse: vscode.QuickPickItem = {
    label: '$(folder-opened) Choose a public key file…',
    detail: found.length ? undefined : `No keys in ${sshDir}: make one in a terminal with ${SSH_KEYGEN}`,
  };
  const items: vscode.QuickPickItem[] = [
    ...found.map((name) => ({ label: name, description: join(sshDir, name) })),
    browse,
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'PromptOps: the SSH key to sign your commits with',
    placeHolder: 'A public key (.pub); its private half stays beside it or in ssh-agent',
  });
  if (!picked) return undefined;
  if (picked !== browse) return picked.description;
  const chosen = await vscode.window.showOpenDialog({
    title: 'PromptOps: the SSH public key to sign your commits with',
    defaultUri: vscode.Uri.file(sshDir),
    canSelectMany: false,
    filters: { 'SSH public keys': ['pub'], 'All files': ['*'] },
  });
  return chosen?.[0]?.fsPath;
}
