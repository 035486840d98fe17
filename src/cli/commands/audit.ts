import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { verifyAuditExport, type AuditExport } from '../../core/audit/auditChain';
import { auditEntryLine } from '../../core/audit/auditLines';
import { trustedKeys, type TrustedKeys } from '../../core/release/lockEntryVerdict';
import { importPublicKey } from '../../core/release/signingKeys';
import type { AuditEntryDto, AuditQuery } from '../../shared/api/audit';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors, UsageError } from '../apiErrors';
import { trustedChainKeys } from '../gate/trustedKeyChain';

interface ListFlags {
  server?: string;
  json?: boolean;
  since?: string;
  until?: string;
  actor?: string;
  action?: string;
  refused?: boolean;
}

/** Pages read at most (200 entries each) for one listing. */
const MAX_PAGES = 500;

/** `promptops audit [filters] [--json]` and `promptops audit verify <export.json>` (admin). */
export function register(program: Command): void {
  const audit = program
    .command('audit')
    .description(
      "The server's audit log (admin), oldest first, refused actions included. " +
        '`--json` prints an export (entries and signed checkpoints) that `promptops audit verify` checks offline.',
    )
    .option('--since <time>', 'ISO 8601, inclusive')
    .option('--until <time>', 'ISO 8601, exclusive')
    .option('--actor <username>', 'only what this user did (PROMPTOPS_TOKEN: the static token)')
    .option('--action <action>', 'e.g. review.approve, or a family: review.*')
    .option('--refused', 'only refused actions')
    .option('--server <url>', 'the server')
    .option('--json', 'print the export as JSON')
    .action((flags: ListFlags) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const query: AuditQuery = { limit: 200 };
        for (const key of ['since', 'until', 'actor', 'action'] as const) if (flags[key]) query[key] = flags[key];
        if (flags.refused) query.outcome = 'refused';
        const entries: AuditEntryDto[] = [];
        for (let page = 0; page < MAX_PAGES; page++) {
          const { entries: batch, nextCursor } = await client.listAudit(query);
          entries.push(...batch);
          if (!nextCursor) break;
          query.cursor = nextCursor;
        }
        entries.reverse();
        if (flags.json) return printJson({ entries, checkpoints: (await client.auditCheckpoints()).checkpoints });
        if (entries.length === 0) process.stderr.write('No audit entries.\n');
        for (const e of entries) process.stdout.write(`${auditEntryLine(e)}\n`);
      }),
    );

  audit
    .command('verify')
    .description(
      'Check an export from `promptops audit --json` offline: every entry hashes to its hash and follows the one before it, ' +
        "and every checkpoint names an entry's hash and is signed by the server's key. Exit 1 when anything does not hold. " +
        'Export the whole log (no filters): a filtered listing leaves gaps in the chain.',
    )
    .argument('<export>', 'the JSON file')
    .option(
      '--public-key <file>',
      "the server's public key (PEM or base64, from GET /api/keys/public or the access file)",
    )
    .option(
      '--key-chain <file>',
      "the server key's rotations (.promptops/keys.yaml): checkpoints signed by any key the chain joins to --public-key verify",
    )
    .action((file: string, flags: { publicKey?: string; keyChain?: string }) =>
      reportApiErrors(async () => {
        let exp: AuditExport;
        try {
          exp = JSON.parse(readFileSync(file, 'utf8')) as AuditExport;
        } catch (err) {
          throw new UsageError(`${file}: not a readable JSON export (${(err as Error).message}).`);
        }
        if (!Array.isArray(exp.entries) || !Array.isArray(exp.checkpoints))
          throw new UsageError(`${file}: not an audit export (it needs "entries" and "checkpoints").`);
        const anchor = flags.publicKey ? importPublicKey(readFileSync(flags.publicKey, 'utf8')) : undefined;
        let key: KeyObject | TrustedKeys | undefined = anchor;
        if (anchor && flags.keyChain !== undefined) {
          const chain = trustedChainKeys(anchor, undefined, readFileSync(flags.keyChain, 'utf8'), false);
          for (const p of chain.problems) process.stderr.write(`${flags.keyChain}: ${p.reason}\n`);
          key = trustedKeys(...chain.keys);
        }
        const result = verifyAuditExport(exp, key);
        for (const p of result.problems) process.stderr.write(`${file}: ${p}\n`);
        if (!result.ok) {
          process.exitCode = 1;
          return;
        }
        process.stdout.write(
          `${file}: ${result.entries} entries chained, ${result.checkpoints} checkpoint${result.checkpoints === 1 ? '' : 's'} ${key ? 'signed by the given key' : 'consistent (pass --public-key to check signatures)'}.\n`,
        );
      }),
    );
}
