import type { Command } from 'commander';
import { PromptOpsClient } from '../../client/promptOpsClient';
import { resolveServerUrl } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { writeCredentials } from '../credentials';
import { readLine, readSecret } from '../hiddenPrompt';

interface LoginFlags {
  server?: string;
  username?: string;
  token?: string;
  json?: boolean;
}

/** `promptops login`: signs in and keeps the session token in the user's config folder (mode 0600). */
export function register(program: Command): void {
  program
    .command('login')
    .description(
      'Sign in to the PromptOps server and keep the token in $XDG_CONFIG_HOME/promptops/credentials.json (mode 0600). ' +
        "Password: PROMPTOPS_PASSWORD, else asked without echo (or read from a pipe). Server: --server, PROMPTOPS_SERVER, the access file's `server`, or the last login.",
    )
    .option('--server <url>', 'the server, e.g. http://127.0.0.1:4700')
    .option('--username <name>', 'who signs in (asked when missing)')
    .option('--token <token>', 'keep this token instead of signing in with a password (e.g. a CI token)')
    .option('--json', 'print JSON for machines')
    .action((flags: LoginFlags) =>
      reportApiErrors(async () => {
        const server = resolveServerUrl(flags.server);
        if (!server)
          throw new Error(
            'login: which server? pass --server URL (or set PROMPTOPS_SERVER, or `server:` in .promptops/access.yaml)',
          );
        const client = new PromptOpsClient({ server });
        if (flags.token !== undefined) {
          client.setToken(flags.token);
          const me = await client.me();
          const path = writeCredentials({
            server: client.server,
            token: flags.token,
            ...(me.user ? { username: me.user.username } : {}),
          });
          if (flags.json)
            printJson({ server: client.server, username: me.user?.username ?? null, role: me.role, credentials: path });
          else
            process.stderr.write(
              `Token for ${me.user?.username ?? 'the static admin token'} (${me.role}) on ${client.server} saved to ${path}\n`,
            );
          return;
        }
        const username = flags.username ?? (await readLine('Username: ')).trim();
        if (!username) throw new Error('login: a username is needed (--username NAME)');
        const password = process.env.PROMPTOPS_PASSWORD ?? (await readSecret(`Password for ${username}: `));
        const session = await client.login(username, password);
        const path = writeCredentials({ server: client.server, token: session.token, username: session.user.username });
        if (flags.json) {
          printJson({
            server: client.server,
            username: session.user.username,
            role: session.user.role,
            expiresAt: session.expiresAt,
            credentials: path,
          });
        } else {
          process.stderr.write(
            `Signed in to ${client.server} as ${session.user.username} (${session.user.role}); token saved to ${path}\n`,
          );
        }
      }),
    );
}
