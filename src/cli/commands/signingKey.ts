import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PromptOpsClient } from '../../client/promptOpsClient';
import type { SigningKeyDto } from '../../shared/api/signingKeys';
import { connect } from '../apiConnection';
import { userNamed } from '../userNamed';
import { signCommitsWith } from '../../git/commitSigningSetup';
import { registerSigningKey } from '../../workflows/registerSigningKey';
import { openWorkingRepository } from '../gitContext';
import { printJson, reportApiErrors } from '../apiErrors';

interface Common {
  server?: string;
  json?: boolean;
  user?: string;
}

interface AddFlags extends Common {
  configureGit?: boolean;
}

/** The id of `--user` (admin only), or undefined for the signed-in user. */
async function userIdFor(client: PromptOpsClient, username: string | undefined): Promise<string | undefined> {
  return username === undefined ? undefined : (await userNamed(client, username, 'signing-key')).id;
}

function printKey(k: SigningKeyDto): void {
  process.stdout.write(`${k.fingerprint}  ${k.comment || '(no comment)'}  added ${k.createdAt}\n`);
}

const COUNTS =
  'The key counts for `promptops verify` once a user directory that lists it is committed (an admin runs `promptops directory pull`).';

const SETUP = (pub: string) =>
  [
    'Sign your commits with it (git 2.34 or later):',
    '  git config gpg.format ssh',
    `  git config user.signingkey ${pub}`,
    '  git config commit.gpgsign true',
    '(or run `promptops signing-key add --configure-git` in the repository to have it done)',
    COUNTS,
  ].join('\n');

/** `promptops signing-key add|list|remove`: the SSH keys your commits are signed with. */
export function register(program: Command): void {
  const keys = program
    .command('signing-key')
    .description('Your SSH commit-signing keys, which `promptops verify` identifies commit authors by.');
  const common = (c: Command) =>
    c
      .option('--user <username>', "another user's keys (admin), e.g. a release bot's")
      .option('--server <url>', 'the server (default: see `promptops login --help`)')
      .option('--json', 'print JSON for machines');

  common(
    keys
      .command('add')
      .description('Register a public key (a .pub file, e.g. ~/.ssh/id_ed25519.pub) as yours.')
      .argument('<file.pub>')
      .option(
        '--configure-git',
        "and make git sign this repository's commits with it (gpg.format, user.signingkey, commit.gpgsign in .git/config)",
      ),
  ).action((file: string, flags: AddFlags) =>
    reportApiErrors(async () => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new Error(`signing-key add: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
          cause: e,
        });
      }
      // Before anything is registered: outside a repository, say so and change nothing.
      const repo = flags.configureGit
        ? (await openWorkingRepository('signing-key add --configure-git')).repo
        : undefined;
      const client = connect(flags.server);
      const userId = await userIdFor(client, flags.user);
      // Setting up a second clone: the key is yours already, so only git needs configuring.
      const { key, already } = repo
        ? await registerSigningKey(client, text, userId)
        : { key: await client.addSigningKey(text, userId), already: false };
      if (repo) await signCommitsWith(repo, resolve(file));
      if (flags.json) return printJson(key);
      const named = `${key.fingerprint}${key.comment ? ` (${key.comment})` : ''}`;
      process.stdout.write(already ? `${named} is registered already.\n` : `Registered ${named}.\n`);
      process.stdout.write(
        repo
          ? `Commits in ${repo.root} are now signed with it (git config --local: gpg.format ssh, user.signingkey ${resolve(file)}, commit.gpgsign true).\n${COUNTS}\n`
          : `${SETUP(file)}\n`,
      );
    }),
  );

  common(keys.command('list').description('List the registered keys with their SHA256 fingerprints.')).action(
    (flags: Common) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const list = await client.listSigningKeys(await userIdFor(client, flags.user));
        if (flags.json) return printJson(list);
        if (list.length === 0) process.stdout.write('No signing keys. Add one: promptops signing-key add FILE.pub\n');
        list.forEach(printKey);
      }),
  );

  common(
    keys
      .command('remove')
      .description('Remove a key by its fingerprint (SHA256:…, as `list` shows).')
      .argument('<fingerprint>'),
  ).action((fingerprint: string, flags: Common) =>
    reportApiErrors(async () => {
      const client = connect(flags.server);
      await client.removeSigningKey(fingerprint, await userIdFor(client, flags.user));
      if (flags.json) return printJson({ removed: fingerprint });
      process.stdout.write(`Removed ${fingerprint}. Commits it signs stop counting with the next user directory.\n`);
    }),
  );
}
