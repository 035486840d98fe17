import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { findRepoRoot } from '../repoRoot';

/** `promptops apply [FILE]` (admin): uploads the access file; the server refuses one with errors, naming each. */
export function register(program: Command): void {
  program
    .command('apply')
    .description(
      "Upload the access file to the server (admin). Default FILE: the repository's .promptops/access.yaml. Exit 1 when refused.",
    )
    .argument('[file]', 'the access file to apply')
    .option('--server <url>', 'the server (default: see `promptops login --help`)')
    .option('--json', 'print JSON for machines')
    .action((file: string | undefined, flags: { server?: string; json?: boolean }) =>
      reportApiErrors(async () => {
        const path = file !== undefined ? resolve(file) : join(findRepoRoot() ?? process.cwd(), ACCESS_FILE_PATH);
        let content: string;
        try {
          content = readFileSync(path, 'utf8');
        } catch {
          throw new Error(`apply: cannot read ${path}`);
        }
        const result = await connect(flags.server).applyPolicy(content);
        if (flags.json) return printJson(result);
        const { policy } = result;
        process.stdout.write(
          result.changed
            ? `Applied ${path} as version ${policy.version} (sha256 ${policy.sha256.slice(0, 12)}).\n`
            : `Unchanged: the server already has this access file (version ${policy.version}).\n`,
        );
        if (result.createdWorkspaces.length)
          process.stdout.write(`Created workspaces: ${result.createdWorkspaces.join(', ')}\n`);
      }),
    );
}
