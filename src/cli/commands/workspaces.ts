import type { Command } from 'commander';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';

/** `promptops workspaces create <name>`: the workspace, and the access-file entry that binds people to it. */
export function register(program: Command): void {
  const workspaces = program.command('workspaces').description("The server's workspaces.");
  workspaces
    .command('create')
    .description(
      'Create a workspace (editor and up; re-creating a deleted one: admins) and print the access-file entry that binds people to it.',
    )
    .argument('<name>')
    .option('--server <url>', 'the server')
    .option('--json', 'print JSON for machines')
    .action((name: string, flags: { server?: string; json?: boolean }) =>
      reportApiErrors(async () => {
        const created = await connect(flags.server).createWorkspace(name);
        if (flags.json) return printJson(created);
        const { binding } = created;
        process.stdout.write(
          `Created workspace ${created.name}.\nTo bind people to it, add to ${binding.file}:\n\n${binding.snippet}\n${binding.next}\n`,
        );
      }),
    );
}
