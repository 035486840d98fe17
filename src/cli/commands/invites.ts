import type { Command } from 'commander';
import { PromptOpsClient } from '../../client/promptOpsClient';
import { BUILTIN_ROLES, isBuiltinRole, type BuiltinRole } from '../../core/policy/actions';
import type { InviteDto } from '../../shared/api/invites';
import { connect, resolveServerUrl } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { readSecret } from '../hiddenPrompt';
import { expiryFrom } from '../../core/expiry';

interface Common {
  server?: string;
  json?: boolean;
}

function printInvite(i: InviteDto): void {
  const when =
    i.state === 'accepted'
      ? `accepted ${i.acceptedAt}`
      : i.state === 'revoked'
        ? `revoked ${i.revokedAt}`
        : `expires ${i.expiresAt}`;
  process.stdout.write(
    `${i.id}  ${i.username.padEnd(20)} ${i.role.padEnd(7)} ${i.state.padEnd(8)} by ${i.createdBy}, ${when}\n`,
  );
}

function roleFrom(value: string): BuiltinRole {
  if (!isBuiltinRole(value)) throw new Error(`invites create: --role must be one of ${BUILTIN_ROLES.join(', ')}`);
  return value;
}

/** The new password: PROMPTOPS_NEW_PASSWORD, else asked twice without echo (once from a pipe). */
async function newPassword(username: string): Promise<string> {
  const fromEnv = process.env.PROMPTOPS_NEW_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  const first = await readSecret(`Choose a password for ${username}: `);
  if (!process.stdin.isTTY) return first;
  const second = await readSecret('Type it again: ');
  if (first !== second) throw new Error('invite accept: the two passwords differ; nothing was changed, try again');
  return first;
}

/** `promptops invites create|list|revoke` (admins) and `promptops invite accept` (the invitee). */
export function register(program: Command): void {
  const invites = program
    .command('invites')
    .description('Invite people (admins, or whoever holds user.invite): they choose their own password.');

  invites
    .command('create')
    .description('Invite a username with an org role; the token is printed once: hand it to the invitee.')
    .argument('<username>')
    .requiredOption('--role <role>', `their org role (${BUILTIN_ROLES.join(', ')})`)
    .option('--expires <when>', 'days from now (7d) or a date; default 7 days, at most 30')
    .option('--server <url>', 'the server')
    .option('--json', 'print JSON for machines')
    .action((username: string, flags: Common & { role: string; expires?: string }) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const created = await client.createInvite({
          username,
          role: roleFrom(flags.role),
          expiresAt: expiryFrom(flags.expires, Date.now(), 'invites create: --expires'),
        });
        if (flags.json) return printJson(created);
        printInvite(created.invite);
        process.stdout.write(
          `\nThe invite token, shown only now. The invitee runs\n  promptops invite accept ${created.token} --server ${client.server}\n` +
            `or opens\n  ${client.server}/invite#${created.token}\n`,
        );
      }),
    );

  invites
    .command('list')
    .description('List invites: pending, accepted, revoked and expired; never their tokens.')
    .option('--server <url>', 'the server')
    .option('--json', 'print JSON for machines')
    .action((flags: Common) =>
      reportApiErrors(async () => {
        const list = await connect(flags.server).listInvites();
        if (flags.json) return printJson(list);
        if (list.length === 0) process.stdout.write('No invites.\n');
        list.forEach(printInvite);
      }),
    );

  invites
    .command('revoke')
    .description('Revoke a pending invite by id; its token stops working at once.')
    .argument('<id>')
    .option('--server <url>', 'the server')
    .action((id: string, flags: Common) =>
      reportApiErrors(async () => {
        await connect(flags.server).revokeInvite(id);
        process.stdout.write(`Revoked invite ${id}.\n`);
      }),
    );

  program
    .command('invite')
    .description('Accept an invite you were sent.')
    .command('accept')
    .description(
      'Create your account from an invite token, choosing your password (PROMPTOPS_NEW_PASSWORD, else asked without echo). No sign-in needed.',
    )
    .argument('<token>')
    .option('--server <url>', 'the server (default: PROMPTOPS_SERVER or the access file’s `server`)')
    .option('--json', 'print JSON for machines')
    .action((token: string, flags: Common) =>
      reportApiErrors(async () => {
        const server = resolveServerUrl(flags.server);
        if (!server) throw new Error('invite accept: which server? pass --server URL (the one in your invite)');
        const client = new PromptOpsClient({ server });
        const password = await newPassword('your new account');
        const { user } = await client.acceptInvite(token.trim(), password);
        if (flags.json) return printJson({ server: client.server, user });
        process.stdout.write(
          `Your account ${user.username} (${user.role}) is ready. Sign in: promptops login --server ${client.server} --username ${user.username}\n`,
        );
      }),
    );
}
