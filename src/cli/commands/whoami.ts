import type { Command } from 'commander';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';

/** `promptops whoami`: the signed-in user and their org role, as the server sees them now. */
export function register(program: Command): void {
  program
    .command('whoami')
    .description('Show the signed-in user and their org role on the server.')
    .option('--server <url>', 'the server (default: see `promptops login --help`)')
    .option('--json', 'print JSON for machines')
    .action((flags: { server?: string; json?: boolean }) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const me = await client.me();
        if (flags.json) return printJson({ server: client.server, ...me });
        const who = me.user ? me.user.username : 'the static admin token (PROMPTOPS_TOKEN)';
        const key = me.apiKey ? ` with the API key ${me.apiKey.name} (${me.apiKey.scope.actions.join(', ')})` : '';
        process.stdout.write(`${who} (${me.role})${key} on ${client.server}\n`);
        for (const w of me.warnings ?? []) process.stderr.write(`warning: ${w.message}\n`);
      }),
    );
}
