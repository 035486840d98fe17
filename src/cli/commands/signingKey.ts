import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { normalizeUsername } from '../../core/users/username';
import type { PromptOpsClient } from '../../client/promptOpsClient';
import type { SigningKeyDto } from '../../shared/api/signingKeys';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';

interface Common {
  server?: string;
  json?: boolean;
  user?: string;
}

/** The id of `--user` (admin only), or undefined for the signed-in user. */
async function userIdFor(client: PromptOpsClient, username: string | undefined): Promise<string | undefined> {
  if (username === undefined) return undefined;
  const user = (await client.listUsers()).find((u) => u.username === normalizeUsername(username));
  if (!user) throw new Error(`signing-key: no user "${username}" on ${client.server}`);
  return user.id;
}

function printKey(k: SigningKeyDto): void {
  process.stdout.write(`${k.fingerprint}  ${k.comment || '(no comment)'}  added ${k.createdAt}\n`);
}

const SETUP = (pub: string) =>
  [
    'Sign your commits with it (git 2.34 or later):',
    '  git config gpg.format ssh',
    `  git config user.signingkey ${pub}`,
    '  git config commit.gpgsign true',
    'The key counts for `promptops verify` once a user directory that lists it is committed (an admin runs `promptops directory pull`).',
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
      .argument('<file.pub>'),
  ).action((file: string, flags: Common) =>
    reportApiErrors(async () => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new Error(`signing-key add: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
          cause: e,
        });
      }
      const client = connect(flags.server);
      const key = await client.addSigningKey(text, await userIdFor(client, flags.user));
      if (flags.json) return printJson(key);
      process.stdout.write(`Registered ${key.fingerprint}${key.comment ? ` (${key.comment})` : ''}.\n${SETUP(file)}\n`);
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
