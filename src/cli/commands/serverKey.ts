import type { Command } from 'commander';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';

/** `promptops server-key`: the server's public key (GET /api/keys/public), to pin or pass to `verify --public-key`. */
export function register(program: Command): void {
  program
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
}
