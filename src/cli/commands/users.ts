import { Option, type Command } from 'commander';
import { BUILTIN_ROLES, type BuiltinRole } from '../../core/policy/actions';
import type { UserDto } from '../../shared/api/users';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { readSecret } from '../hiddenPrompt';
import { registerGitEmails } from './userGitEmails';
import { userNamed } from '../userNamed';

interface Common {
  server?: string;
  json?: boolean;
}

function printUser(u: UserDto): void {
  const kind = u.serviceAccount ? ' (service account)' : '';
  process.stdout.write(`${u.username.padEnd(20)} ${u.role.padEnd(7)} ${u.emails.join(', ')}${kind}\n`);
}

/** `promptops users list|add|set-role|remove|git-email` (admin). */
export function register(program: Command): void {
  const users = program.command('users').description("Manage the server's users (admin).");
  registerGitEmails(users);
  const roleOption = () => new Option('--role <role>', 'org role').choices([...BUILTIN_ROLES]);

  users
    .command('list')
    .description('List users with their org role and git emails.')
    .option('--server <url>', 'the server')
    .option('--json', 'print JSON for machines')
    .action((flags: Common) =>
      reportApiErrors(async () => {
        const list = await connect(flags.server).listUsers();
        if (flags.json) return printJson(list);
        list.forEach(printUser);
      }),
    );

  users
    .command('add')
    .description(
      'Create a user. Password: PROMPTOPS_NEW_PASSWORD, else asked without echo; --service-account: none (a bot that acts through API keys).',
    )
    .argument('<username>')
    .addOption(roleOption().makeOptionMandatory())
    .option('--email <email...>', 'git author emails that identify their commits')
    .option('--service-account', 'no password: it acts only through API keys (api-keys create --service-account)')
    .option('--server <url>', 'the server')
    .option('--json', 'print JSON for machines')
    .action((username: string, flags: Common & { role: BuiltinRole; email?: string[]; serviceAccount?: boolean }) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const emails = flags.email ?? [];
        const user = flags.serviceAccount
          ? await client.createUser({ username, serviceAccount: true, role: flags.role, emails })
          : await client.createUser({
              username,
              password: process.env.PROMPTOPS_NEW_PASSWORD ?? (await readSecret(`Password for ${username}: `)),
              role: flags.role,
              emails,
            });
        if (flags.json) return printJson(user);
        process.stdout.write(
          `Created ${user.username} (${user.role}${user.serviceAccount ? ', service account' : ''}).\n`,
        );
      }),
    );

  users
    .command('set-role')
    .description("Change a user's org role; it applies on their next request.")
    .argument('<username>')
    .argument('<role>', `one of ${BUILTIN_ROLES.join(', ')}`)
    .option('--server <url>', 'the server')
    .option('--json', 'print JSON for machines')
    .action((username: string, role: string, flags: Common) =>
      reportApiErrors(async () => {
        if (!(BUILTIN_ROLES as readonly string[]).includes(role))
          throw new Error(`users set-role: unknown role "${role}"; expected one of ${BUILTIN_ROLES.join(', ')}`);
        const client = connect(flags.server);
        const user = await client.updateUser((await userNamed(client, username)).id, { role: role as BuiltinRole });
        if (flags.json) return printJson(user);
        process.stdout.write(`${user.username} is now ${user.role}.\n`);
      }),
    );

  users
    .command('remove')
    .description('Remove a user; their sessions stop at once and their approvals stop counting.')
    .argument('<username>')
    .option('--server <url>', 'the server')
    .action((username: string, flags: Common) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        await client.deleteUser((await userNamed(client, username)).id);
        process.stdout.write(`Removed ${username}.\n`);
      }),
    );
}
