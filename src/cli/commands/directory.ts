import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { USER_DIRECTORY_PATH } from '../../core/release';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { findRepoRoot } from '../repoRoot';

/**
 * `promptops directory pull`: writes the server-signed list of users, org roles and git
 * emails to `.promptops/directory.yaml`, which `promptops verify` needs to know who a
 * commit's author is without the server. Commit it (as an admin: it is a protected file).
 */
export function register(program: Command): void {
  const directory = program
    .command('directory')
    .description('The signed user directory that `promptops verify` reads offline.');
  directory
    .command('pull')
    .description(`Write the server's signed user directory to ${USER_DIRECTORY_PATH} in this repository.`)
    .option('--server <url>', 'the server (default: see `promptops login --help`)')
    .option('--json', 'print JSON for machines')
    .action((flags: { server?: string; json?: boolean }) =>
      reportApiErrors(async () => {
        const { directory: dir, file } = await connect(flags.server).directory();
        const path = join(findRepoRoot() ?? process.cwd(), USER_DIRECTORY_PATH);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file);
        if (flags.json) return printJson({ path, users: dir.users.length, keyId: dir.keyId, issuedAt: dir.issuedAt });
        process.stdout.write(
          `Wrote ${path}: ${dir.users.length} users, signed by key ${dir.keyId} at ${dir.issuedAt}. Commit it so \`promptops verify\` can use it.\n`,
        );
      }),
    );
}
