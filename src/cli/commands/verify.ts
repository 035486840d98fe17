import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { importPublicKey } from '../../core/release/signingKeys';
import { openGitRepository } from '../../git';
import { verifyRepository } from '../gate/verifyRepository';

/** `promptops verify [--base REV] [--public-key FILE]`: the CI gate, offline. */
export function register(program: Command): void {
  program
    .command('verify')
    .description(
      'For CI, offline: check every release lock entry (hash of its file at HEAD, signature against the trusted key or a key .promptops/keys.yaml joins to it by signed rotation links) and, ' +
        'with --base, that each commit in BASE..HEAD only changed prompts and protected files its author was allowed to, ' +
        'judged with the key, access file and user directory of the base. ' +
        'One "file: reason" line per problem; exit 1 when any. ' +
        "Warns (on stderr, exit code unchanged) when git settings would rewrite published prompts' line endings.",
    )
    .option(
      '--base <rev>',
      'also check the commits in BASE..HEAD (e.g. origin/main); needs the full history, not a shallow clone',
    )
    .option('--head <rev>', 'judge this commit instead of HEAD (the pre-receive hook passes the pushed tip)')
    .option(
      '--ref <refname>',
      'the pushed ref being judged (the pre-receive hook passes it): on a ref other than the default branch and the ' +
        "access file's releaseBranch, an access file change still waiting for its signed policy record only warns",
    )
    .option(
      '--public-key <file>',
      "the server's public key (PEM or base64); default: publicKey in .promptops/access.yaml at the base (at HEAD without --base)",
    )
    .option('--json', 'print JSON for machines')
    .action(async (options: { base?: string; head?: string; ref?: string; publicKey?: string; json?: boolean }) => {
      let publicKey;
      if (options.publicKey !== undefined) {
        const text = await readFile(options.publicKey, 'utf8').catch(() => {
          throw new Error(`verify: cannot read ${options.publicKey}`);
        });
        try {
          publicKey = importPublicKey(text);
        } catch (e) {
          throw new Error(`verify: ${options.publicKey}: ${(e as Error).message}`, { cause: e });
        }
      }
      const repo = await openGitRepository(process.cwd());
      const report = await verifyRepository(repo, {
        base: options.base,
        head: options.head,
        ref: options.ref,
        publicKey,
      });
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        for (const p of report.problems) process.stdout.write(`${p.file}: ${p.reason}\n`);
        for (const w of report.warnings) process.stderr.write(`warning: ${w.setting}: ${w.reason}\n`);
        const range =
          options.base === undefined
            ? ''
            : `, ${report.commits} commit${report.commits === 1 ? '' : 's'} since ${options.base}`;
        const n = report.problems.length;
        const w = report.warnings.length;
        const warned = w === 0 ? '' : ` (${w} warning${w === 1 ? '' : 's'})`;
        const e = report.evaluated.length;
        const evaluated = e === 0 ? '' : ` (${e} with a signed evaluation run)`;
        for (const x of report.evaluated)
          process.stderr.write(`${x.path} (${x.env}): evaluation run ${x.evaluation}\n`);
        process.stderr.write(
          `promptops verify: ${report.entries} published entr${report.entries === 1 ? 'y' : 'ies'}${evaluated}${range}, key ${report.keyId}: ${n === 0 ? 'ok' : `${n} problem${n === 1 ? '' : 's'}`}${warned}\n`,
        );
      }
      process.exitCode = report.problems.length > 0 ? 1 : 0;
    });
}
