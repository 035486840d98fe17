import type { Command } from 'commander';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_HOST,
  DEFAULT_PORT,
  parsePort,
  serverOptionsFromEnv,
} from '../../server/serverOptions';
import type { RunningServer } from '../../server/startServer';

interface ServeFlags {
  port?: string;
  host?: string;
  dataDir?: string;
}

/** Human-readable start banner on stderr; stdout carries the JSON logs. */
function printBanner(server: RunningServer, where: string, initialAdmin: { username: string; password: string }): void {
  const lines = [
    '',
    `PromptOps server listening on ${server.url}  (${where})`,
    `  Sign in:   POST ${server.url}/api/login {"username": …, "password": …} returns a token;`,
    `             send it as "Authorization: Bearer <token>". PROMPTOPS_TOKEN works as an admin token too.`,
    `  API:       ${server.url}/api/openapi.json   Health: ${server.url}/healthz`,
  ];
  if (server.createdInitialAdmin) {
    lines.push(
      `  First start: created user "${initialAdmin.username}" with password "${initialAdmin.password}" and the "default" workspace.`,
    );
  }
  for (const warning of server.warnings) {
    lines.push('', `  !!! WARNING: ${warning.message}`);
  }
  process.stderr.write(`${lines.join('\n')}\n\n`);
}

/** Resolves once SIGTERM or SIGINT has been received and the server has shut down. */
function closeOnSignal(server: RunningServer): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.stderr.write(`PromptOps server: ${signal}, finishing in-flight requests and closing\n`);
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      server.close().then(resolve, reject);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the PromptOps server (sign-in, users, workspaces). SQLite by default; PostgreSQL with PROMPTOPS_DATABASE_URL.',
    )
    .option('-p, --port <port>', `port to listen on (env PROMPTOPS_PORT, default ${DEFAULT_PORT})`)
    .option('--host <host>', `address to bind (env PROMPTOPS_HOST, default ${DEFAULT_HOST})`)
    .option(
      '-d, --data-dir <dir>',
      `directory of the SQLite database (env PROMPTOPS_DATA_DIR, default ./${DEFAULT_DATA_DIR})`,
    )
    .addHelpText(
      'after',
      '\nEnvironment: PROMPTOPS_DATABASE_URL (postgres://… to use PostgreSQL), PROMPTOPS_DATABASE_SCHEMA,\n' +
        'PROMPTOPS_TOKEN (admin token, default promptops-dev-token: change it), PROMPTOPS_LOG_LEVEL,\n' +
        'PROMPTOPS_TRUSTED_PROXIES (proxy addresses/CIDRs or a hop count), PROMPTOPS_RATE_LIMIT (per address per minute).',
    )
    .action(async (flags: ServeFlags) => {
      // Loaded here, not at start-up: the server's native modules (argon2, sqlite, pg) are
      // only needed to serve, so the CLI the extension ships runs `check` without them.
      const [{ startServer }, { isPostgresUrl }, { INITIAL_ADMIN }] = await Promise.all([
        import('../../server/startServer'),
        import('../../server/store/openStore'),
        import('../../server/auth/initialAdmin'),
      ]);
      const fromEnv = serverOptionsFromEnv(process.env);
      const options = {
        ...fromEnv,
        port: flags.port !== undefined ? parsePort(flags.port) : fromEnv.port,
        host: flags.host ?? fromEnv.host,
        dataDir: flags.dataDir ?? fromEnv.dataDir,
      };
      const server = await startServer(options);
      const where = isPostgresUrl(options.databaseUrl)
        ? `PostgreSQL${options.databaseSchema ? `, schema ${options.databaseSchema}` : ''}`
        : `SQLite in ${options.dataDir ?? `./${DEFAULT_DATA_DIR}`}`;
      printBanner(server, where, INITIAL_ADMIN);
      await closeOnSignal(server);
    });
}
