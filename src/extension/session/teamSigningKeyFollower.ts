import type * as vscode from 'vscode';
import type { PromptOpsModel } from '../model/promptOpsModel';

/**
 * Where the clone names a team folder of signing keys (`promptops.teamSigningKeys`, set by
 * `npm run demo`), git signs with the key of whoever is signed in, from each sign-in on: the
 * sample team takes turns in one clone and each commit is signed by the person who made it.
 */
export function followTeamSigningKey(model: PromptOpsModel, log: vscode.LogOutputChannel): vscode.Disposable {
  let following: string | undefined;
  const follow = () => {
    const username = model.session.state.kind === 'signedIn' ? model.session.user?.username : undefined;
    if (username === undefined || username === following) return;
    following = username;
    void signAs(model, username)
      .then((key) => key && log.info(`git signs commits in this clone as ${username} (${key})`))
      .catch((err: unknown) =>
        log.warn(`could not point git's signing key at ${username}'s: ${(err as Error).message}`),
      );
  };
  follow();
  return model.session.onDidChange(follow);
}

/** The team key for `username` made git's signing key; its file, or undefined when there is none. */
export async function signAs(model: PromptOpsModel, username: string): Promise<string | undefined> {
  const repo = await model.repository().repository();
  if (!repo) return undefined;
  const { signAsTeamMember } = await import('../../workflows/teamSigningKey');
  return signAsTeamMember(repo, username);
}
