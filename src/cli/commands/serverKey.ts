import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KEY_CHAIN_PATH } from '../../core/release/keyChain';
import type { KeyChainResponse } from '../../shared/api/keys';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { findRepoRoot } from '../repoRoot';

/**
 * Writes the server's key chain to `.promptops/keys.yaml` in the repository at `root` (also
 * `promptops directory pull`). Nothing is written while the key was never rotated, so a
 * repository only gets the file once it matters.
 */
export function writeKeyChain(root: string, chain: KeyChainResponse): string | undefined {
  if (chain.links.length === 0) return undefined;
  const path = join(root, KEY_CHAIN_PATH);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, chain.file);
  return path;
}

/**
 * `promptops server-key`: the server's public key (GET /api/keys/public), to pin or pass to
 * `verify --public-key`; `server-key rotate` replaces it, the old key vouching for the new.
 */
export function register(program: Command): void {
  const serverKey = program
    .command('server-key')
    .description(
      "Print the server's Ed25519 public key: base64 SPKI (what `publicKey:` in the access file holds), or PEM with --pem (for `verify --public-key FILE`).",
    )
    .option('--pem', 'print PEM instead of base64')
    .option('--server <url>', 'the server (default: see `promptops login --help`)')
    .option('--json', 'print JSON for machines')
    .action((flags: { pem?: boolean; server?: string; json?: boolean }) =>
      reportApiErrors(async () => {
        const key = await connect(flags.server).publicKey();
        if (flags.json) return printJson(key);
        process.stdout.write(flags.pem ? key.pem.replace(/\n?$/, '\n') : `${key.spkiBase64}\n`);
      }),
    );
  serverKey
    .command('rotate')
    .description(
      `Rotate the server's signing key (admins: server.key.rotate). The current key signs a link naming the new one; ` +
        `the chain is written to ${KEY_CHAIN_PATH} in this repository: commit it, and \`promptops verify\` and the runtime loader ` +
        'follow it from the key they trust, so releases signed by the old key keep verifying.',
    )
    .option('--server <url>', 'the server (default: see `promptops login --help`)')
    .option('--json', 'print JSON for machines')
    .action((flags: { server?: string; json?: boolean }) =>
      reportApiErrors(async () => {
        const chain = await connect(flags.server).rotateKey();
        const root = findRepoRoot();
        const path = root === undefined ? undefined : writeKeyChain(root, chain);
        const link = chain.links[chain.links.length - 1];
        if (flags.json) return printJson({ ...chain, path: path ?? null });
        process.stdout.write(
          `The server now signs with key ${link.keyId} (rotation ${link.serial}, introduced by ${link.previousKeyId}).\n` +
            (path
              ? `Wrote ${path}: commit it (as an admin: it is a protected file) so verify and the loader follow the chain.\n`
              : `Not in a repository: run \`promptops directory pull\` in the prompt repository and commit ${KEY_CHAIN_PATH}.\n`),
        );
      }),
    );
}
