import type * as vscode from 'vscode';
import type { PromptOpsModel } from '../model/promptOpsModel';

/**
 * Where the clone names a team folder of signing keys (`promptops.teamSigningKeys`, set by
 * `npm run demo`), git signs with the key of whoever is signed in, from each sign-in on: the
 * sample team takes turns in one clone and each commit is signed by the person who made it.
 */
export interface TeamSigningKeyFollower extends vscode.Disposable {
  /** Resolves once git's signing key follows the person signed in now (so it can be read). */
  settled(): Promise<void>;
}

export function followTeamSigningKey(model: PromptOpsModel, log: vscode.LogOutputChannel): TeamSigningKeyFollower {
  let following: string | undefined;
  let pending: Promise<void> = Promise.resolve();
  const follow = () => {
    const username = model.session.state.kind === 'signedIn' ? model.session.user?.username : undefined;
    if (username === following) return;
    // Forgotten on sign-out, so signing in again (the folder may have changed) follows again.
    following = username;
    if (username === undefined) return;
    // One after another: two git config writes at once fail on .git/config's lock.
    pending = pending.then(() =>
      signAs(model, username)
        .then((key) => {
          if (key) log.info(`git signs commits in this clone as ${username} (${key})`);
        })
        .catch((err: unknown) =>
          log.warn(`could not point git's signing key at ${username}'s: ${(err as Error).message}`),
        ),
    );
  };
  follow();
  const listening = model.session.onDidChange(follow);
  return {
    dispose: () => {
      listening.dispose();
    },
    settled: () => pending,
  };
}

/** The team key for `username` made git's signing key; its file, or undefined when there is none. */
export async function signAs(model: PromptOpsModel, username: string): Promise<string | undefined> {
  const repo = await model.repository().repository();
  if (!repo) return undefined;
  const { signAsTeamMember } = await import('../../workflows/teamSigningKey');
  return signAsTeamMember(repo, username);
}
