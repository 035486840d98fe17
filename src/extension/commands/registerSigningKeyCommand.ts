import * as vscode from 'vscode';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { signAs } from '../session/teamSigningKeyFollower';

export type RegisterSigningKeyOutcome = 'registered' | 'already' | 'no-key' | 'declined' | 'failed';

const SET_UP_SSH_SIGNING =
  'ssh-keygen -t ed25519; git config --global gpg.format ssh; git config --global user.signingkey ~/.ssh/id_ed25519.pub';

/**
 * Register Signing Key: registers the SSH key git signs commits with (`user.signingkey`)
 * as the signed-in user's, so the pre-commit hook and `promptops verify` know them offline
 * from the signed user directory: no token leaves VS Code's secret storage. With `offer`,
 * asks first and stays quiet when there is nothing to do.
 */
export async function registerSigningKeyCommand(
  model: PromptOpsModel,
  options: { offer?: boolean } = {},
): Promise<RegisterSigningKeyOutcome> {
  const user = model.session.user;
  if (!user || model.session.state.kind !== 'signedIn' || user.userId === null) {
    if (!options.offer)
      void vscode.window.showErrorMessage('PromptOps: sign in as a user first; your signing key is registered to you.');
    return 'failed';
  }
  const repo = await model.repository().repository();
  if (!repo) return 'failed';
  // A demo clone signs with the signed-in person's team key: settle that before reading it.
  await signAs(model, user.username);
  const { configuredSigningKey } = await import('../../cli/configuredSigningKey');
  const configured = await configuredSigningKey(repo);
  if (configured.kind !== 'key') {
    const why =
      configured.kind === 'none'
        ? 'git is not set up to sign commits with an SSH key'
        : `git's user.signingkey (${configured.setting}) cannot be used: ${configured.problem}`;
    void vscode.window.showWarningMessage(
      `PromptOps: ${why}. The pre-commit hook knows who you are by that key. In a terminal: ${SET_UP_SSH_SIGNING}; then run "PromptOps: Register Signing Key".`,
    );
    return 'no-key';
  }
  const { key } = configured;
  try {
    const api = model.session.api();
    if ((await api.listSigningKeys()).some((k) => k.fingerprint === key.fingerprint)) {
      if (!options.offer)
        void vscode.window.showInformationMessage(`PromptOps: ${key.fingerprint} is already registered to you.`);
      return 'already';
    }
    if (options.offer) {
      const register = 'Register Key';
      const choice = await vscode.window.showInformationMessage(
        `PromptOps: register the SSH key git signs your commits with (${key.fingerprint}${key.comment ? `, ${key.comment}` : ''}) as ${user.username}'s? The pre-commit hook knows who you are by it.`,
        register,
        'Not Now',
      );
      if (choice !== register) return 'declined';
    }
    await api.addSigningKey(key.publicKey);
  } catch (err) {
    void vscode.window.showErrorMessage(`PromptOps: could not register your signing key. ${(err as Error).message}`);
    return 'failed';
  }
  void vscode.window.showInformationMessage(
    `PromptOps: registered ${key.fingerprint} as ${user.username}'s. Commits count as yours once an admin commits a fresh user directory (promptops directory pull).`,
  );
  return 'registered';
}
