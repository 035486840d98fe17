import * as vscode from 'vscode';
import { requiresSignedCommits } from '../../core/access/requiresSignedCommits';
import { COMMANDS } from '../commands/commandIds';
import type { PromptOpsModel } from '../model/promptOpsModel';
import type { TeamSigningKeyFollower } from './teamSigningKeyFollower';

/**
 * Where the access file requires signed commits but git does not sign them in this clone,
 * says so once per repository and user, with a button that registers a key and sets git up:
 * otherwise the first the person hears of it is CI refusing their change.
 */
export function noticeUnsignedCommits(
  model: PromptOpsModel,
  globalState: vscode.Memento,
  follower: Pick<TeamSigningKeyFollower, 'settled'>,
): vscode.Disposable {
  const checked = new Set<string>();
  const check = async () => {
    const username = model.session.state.kind === 'signedIn' ? model.session.user?.username : undefined;
    if (username === undefined || !model.index || !requiresSignedCommits(model.index.policy)) return;
    const noticed = `promptops.unsignedCommitsNoticed:${model.root.fsPath}:${username}`;
    if (checked.has(username) || globalState.get<boolean>(noticed)) return;
    checked.add(username);
    // A demo clone signs with the team key of whoever signed in: read git's settings after that.
    await follower.settled();
    const repo = await model.repository().repository();
    const { signsCommits } = await import('../../git/commitSigningSetup');
    if (!repo || (await signsCommits(repo))) return;
    await globalState.update(noticed, true);
    const setUp = 'Set Up Signing…';
    const choice = await vscode.window.showWarningMessage(
      'PromptOps: this repository requires signed commits (.promptops/access.yaml), but git does not sign your commits in this clone, so `promptops verify` in CI will refuse your changes to prompts and protected files. Register your SSH key and sign with it?',
      setUp,
      'Not Now',
    );
    if (choice === setUp) await vscode.commands.executeCommand(COMMANDS.registerSigningKey);
  };
  const run = () => void check().catch(() => undefined);
  run();
  return model.onDidChange(run);
}
