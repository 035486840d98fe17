import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PromptOpsClient } from '../../client/promptOpsClient';
import { USER_DIRECTORY_PATH } from '../../core/release';
import type { DirectoryResponse } from '../../shared/api/directory';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { findRepoRoot } from '../repoRoot';
import { writeKeyChain } from './serverKey';

/** Writes the server's signed user directory into the repository at `root` (also `promptops init`). */
export async function pullDirectory(
  client: PromptOpsClient,
  root: string,
): Promise<{ path: string; directory: DirectoryResponse['directory']; keyChainPath?: string }> {
  const [{ directory, file }, chain] = await Promise.all([client.directory(), client.keyChain()]);
  const path = join(root, USER_DIRECTORY_PATH);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file);
  // The directory may be signed by a rotated key: the chain is what makes it verify.
  return { path, directory, keyChainPath: writeKeyChain(root, chain) };
}

/**
 * `promptops directory pull`: writes the server-signed list of users, org roles and git
 * emails to `.promptops/directory.yaml` (and, once the server's key was rotated, the key chain
 * to `.promptops/keys.yaml`), which `promptops verify` needs to know who a
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
        const {
          path,
          directory: dir,
          keyChainPath,
        } = await pullDirectory(connect(flags.server), findRepoRoot() ?? process.cwd());
        if (flags.json) return printJson({ path, users: dir.users.length, keyId: dir.keyId, issuedAt: dir.issuedAt });
        process.stdout.write(
          `Wrote ${path}: ${dir.users.length} users, signed by key ${dir.keyId} at ${dir.issuedAt}${keyChainPath ? `, and ${keyChainPath} (the server key's rotations)` : ''}. Commit ${keyChainPath ? 'them' : 'it'} so \`promptops verify\` can use ${keyChainPath ? 'them' : 'it'}.\n`,
        );
      }),
    );
}
