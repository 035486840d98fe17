import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { requiresSignedCommits } from '../../core/access/requiresSignedCommits';
import type { GitRepository } from '../../git/gitRepository';
import type { SshSigningKey } from '../../core/release/sshSigningKey';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { signAs } from '../session/teamSigningKeyFollower';
import { pickSigningKeyFile } from './pickSigningKeyFile';

export type RegisterSigningKeyOutcome = 'registered' | 'already' | 'no-key' | 'declined' | 'failed';

/** For scripted callers (tests): the key file, and whether to sign this clone's commits with it without asking. */
export interface RegisterSigningKeyArgs {
  keyFile?: string;
  configureGit?: boolean;
}

/**
 * News the first message this command shows opens with (e.g. "pre-commit hook installed."),
 * so that news and the question after it are one notification, not two; `shown` says
 * whether it went out, so the caller can say it alone when nothing was shown.
 */
export interface MessagePreface {
  text: string;
  shown: boolean;
}

/** `message` ("PromptOps: …") opened by the preface, the first time; later ones as they are. */
function prefaced(message: string, preface: MessagePreface | undefined): string {
  if (!preface || preface.shown) return message;
  preface.shown = true;
  const rest = message.replace(/^PromptOps: /, '');
  return `PromptOps: ${preface.text} ${rest.charAt(0).toUpperCase()}${rest.slice(1)}`;
}

/**
 * Register Signing Key: registers an SSH key as the signed-in user's, so the pre-commit hook
 * and `promptops verify` know them offline from the signed user directory, and offers to have
 * git sign this clone's commits with it (as `promptops signing-key add --configure-git`).
 * The key is the one git signs with already, else one the user chooses. With `offer`, asks
 * first and stays quiet when there is nothing to do.
 */
export async function registerSigningKeyCommand(
  model: PromptOpsModel,
  options: { offer?: boolean; preface?: MessagePreface } & RegisterSigningKeyArgs = {},
): Promise<RegisterSigningKeyOutcome> {
  const preface = options.preface;
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
  // Where the access file requires signing, the unsigned-commits notice says so instead of this offer.
  const quiet = options.offer === true && model.index !== undefined && requiresSignedCommits(model.index.policy);
  const chosen = await signingKey(repo, { ...options, quiet, preface });
  if ('outcome' in chosen) return chosen.outcome;
  const { key, file } = chosen;
  let already: boolean;
  try {
    const api = model.session.api();
    if (options.offer && !chosen.chosen) {
      const listed = (await api.listSigningKeys()).some((k) => k.fingerprint === key.fingerprint);
      if (!listed && !(await confirmRegistering(key, user.username, preface))) return 'declined';
    }
    const { registerSigningKey } = await import('../../workflows/registerSigningKey');
    already = (await registerSigningKey(api, key.publicKey)).already;
  } catch (err) {
    void vscode.window.showErrorMessage(`PromptOps: could not register your signing key. ${(err as Error).message}`);
    return 'failed';
  }
  const signing = file !== undefined && (await signCloneWith(repo, file, options.configureGit, preface));
  if (already && !signing) {
    if (!options.offer)
      void vscode.window.showInformationMessage(`PromptOps: ${key.fingerprint} is already registered to you.`);
    return 'already';
  }
  const registered = already
    ? `${key.fingerprint} is registered to ${user.username} already`
    : `registered ${key.fingerprint} as ${user.username}'s`;
  const signs = signing ? ` Commits in this clone are now signed with it.` : '';
  void vscode.window.showInformationMessage(
    prefaced(
      `PromptOps: ${registered}.${signs} Commits count as yours once an admin commits a fresh user directory (promptops directory pull).`,
      preface,
    ),
  );
  return already ? 'already' : 'registered';
}

type ChosenKey =
  { key: SshSigningKey; file: string | undefined; chosen: boolean } | { outcome: RegisterSigningKeyOutcome };

/**
 * The key to register: the file given, else the one git signs this clone's commits with
 * (no file: git is set up already), else one the user picks. `file` is the key to point git at.
 */
async function signingKey(
  repo: GitRepository,
  options: { offer?: boolean; keyFile?: string; quiet: boolean; preface?: MessagePreface },
): Promise<ChosenKey> {
  if (typeof options.keyFile === 'string') return readKeyFile(resolve(options.keyFile), true);
  const { configuredSigningKey } = await import('../../git/configuredSigningKey');
  const { signsCommits } = await import('../../git/commitSigningSetup');
  const configured = await configuredSigningKey(repo);
  if (configured.kind === 'key') {
    if (await signsCommits(repo)) return { key: configured.key, file: undefined, chosen: false };
    // Named but not in use (no gpg.format ssh or commit.gpgsign): offer to turn it on.
    return { key: configured.key, file: configured.setting, chosen: false };
  }
  if (options.quiet) return { outcome: 'no-key' };
  if (options.offer) {
    const why =
      configured.kind === 'none'
        ? 'git does not sign your commits here'
        : `git's user.signingkey (${configured.setting}) cannot be used: ${configured.problem}`;
    const choose = 'Choose Key…';
    const choice = await vscode.window.showWarningMessage(
      prefaced(
        `PromptOps: ${why}. The pre-commit hook and verify know who you are by the SSH key your commits are signed with.`,
        options.preface,
      ),
      choose,
      'Not Now',
    );
    if (choice !== choose) return { outcome: 'no-key' };
  }
  const file = await pickSigningKeyFile();
  return file === undefined ? { outcome: 'declined' } : readKeyFile(file, true);
}

async function readKeyFile(file: string, chosen: boolean): Promise<ChosenKey> {
  const { parseSshSigningKey } = await import('../../core/release/sshSigningKey');
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => e);
  const parsed =
    text instanceof Error ? { problem: `cannot read it (${text.code ?? text.message})` } : parseSshSigningKey(text);
  if ('key' in parsed) return { key: parsed.key, file, chosen };
  const hint = /PRIVATE KEY/.test(typeof text === 'string' ? text : '') ? ` Choose ${file}.pub instead.` : '';
  void vscode.window.showErrorMessage(`PromptOps: ${file} is not an SSH public key: ${parsed.problem}.${hint}`);
  return { outcome: 'failed' };
}

async function confirmRegistering(
  key: SshSigningKey,
  username: string,
  preface: MessagePreface | undefined,
): Promise<boolean> {
  const register = 'Register Key';
  const choice = await vscode.window.showInformationMessage(
    prefaced(
      `PromptOps: register the SSH key git signs your commits with (${key.fingerprint}${key.comment ? `, ${key.comment}` : ''}) as ${username}'s? The pre-commit hook knows who you are by it.`,
      preface,
    ),
    register,
    'Not Now',
  );
  return choice === register;
}

/**
 * Has git sign this clone's commits with `file` (the same settings as the CLI's
 * `--configure-git`), when it does not already and the user agrees (or `configure` says so).
 */
async function signCloneWith(
  repo: GitRepository,
  file: string,
  configure: boolean | undefined,
  preface: MessagePreface | undefined,
): Promise<boolean> {
  const { signCommitsWith, signsCommits } = await import('../../git/commitSigningSetup');
  if ((await repo.configValue('user.signingkey')) === file && (await signsCommits(repo))) return true;
  if (configure === false) return false;
  if (configure === undefined) {
    const sign = 'Sign My Commits';
    const choice = await vscode.window.showInformationMessage(
      prefaced(
        `PromptOps: sign your commits in this clone with ${file}? (git config --local gpg.format ssh, user.signingkey, commit.gpgsign true)`,
        preface,
      ),
      sign,
      'Not Now',
    );
    if (choice !== sign) return false;
  }
  try {
    await signCommitsWith(repo, file);
    return true;
  } catch (err) {
    void vscode.window.showErrorMessage(`PromptOps: could not configure git to sign: ${(err as Error).message}`);
    return false;
  }
}
