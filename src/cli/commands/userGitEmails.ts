import type { Command } from 'commander';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { userNamed } from '../userNamed';

interface Flags {
  server?: string;
  json?: boolean;
}

/**
 * `promptops users git-email list|add|remove` (admin): the git author emails that tell a
 * user's commits apart for `promptops verify`. A read-modify-write of the user's `emails`
 * (PATCH /api/users/:id), so the server's checks (admins only, valid, one user each) apply.
 */
export function registerGitEmails(users: Command): void {
  const emails = users.command('git-email').description("A user's git author emails (admin).");
  const change = (verb: 'add' | 'remove') =>
    emails
      .command(verb)
      .description(verb === 'add' ? 'Add a git author email to a user.' : 'Remove a git author email from a user.')
      .argument('<username>')
      .argument('<email>')
      .option('--server <url>', 'the server')
      .option('--json', 'print the user as JSON')
      .action((username: string, email: string, flags: Flags) =>
        reportApiErrors(async () => {
          const client = connect(flags.server);
          const user = await userNamed(client, username);
          const has = user.emails.some((e) => e.toLowerCase() === email.toLowerCase());
          if (verb === 'add' && has) throw new Error(`users git-email add: ${user.username} has ${email} already`);
          if (verb === 'remove' && !has)
            throw new Error(
              `users git-email remove: ${user.username} has no git email ${email} (${user.emails.join(', ') || 'none'})`,
            );
          const next =
            verb === 'add'
              ? [...user.emails, email]
              : user.emails.filter((e) => e.toLowerCase() !== email.toLowerCase());
          const updated = await client.updateUser(user.id, { emails: next });
          if (flags.json) return printJson(updated);
          process.stdout.write(
            `${updated.username}'s git emails: ${updated.emails.join(', ') || 'none (promptops verify cannot tell their commits apart)'}\n`,
          );
        }),
      );
  emails
    .command('list')
    .description("List a user's git author emails.")
    .argument('<username>')
    .option('--server <url>', 'the server')
    .option('--json', 'print JSON for machines')
    .action((username: string, flags: Flags) =>
      reportApiErrors(async () => {
        const user = await userNamed(connect(flags.server), username);
        if (flags.json) return printJson(user.emails);
        process.stdout.write(
          user.emails.length === 0 ? `${user.username} has no git email.\n` : `${user.emails.join('\n')}\n`,
        );
      }),
    );
  change('add');
  change('remove');
}
