import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import { formatDiagnostic, type Diagnostic } from '../../core/diagnostics';
import { PromptIndex } from '../../core/index/promptIndex';
import { deletedWorkspaceWarnings } from '../../workflows/deletedWorkspaceWarnings';
import { connect, resolveServerUrl } from '../apiConnection';
import { NodeFileSystem } from '../nodeFileSystem';

/**
 * What only the server knows about the access file: workspaces it declares that were deleted
 * there. Lint works offline; when the server cannot be asked, `note` says why.
 */
async function serverWarnings(
  root: string,
  serverFlag: string | undefined,
  policyServer: string | undefined,
): Promise<{ problems: Diagnostic[]; note?: string }> {
  const flag = serverFlag ?? (process.env.PROMPTOPS_SERVER ? undefined : policyServer);
  // No server anywhere: a purely local repository, nothing to say.
  if (resolveServerUrl(flag) === undefined) return { problems: [] };
  try {
    const client = connect(flag);
    const text = await readFile(join(root, ACCESS_FILE_PATH), 'utf8');
    return { problems: await deletedWorkspaceWarnings(client, text) };
  } catch (err) {
    return { problems: [], note: `did not check the server for deleted workspaces (${(err as Error).message})` };
  }
}

/** `promptops lint [DIR]`: the access file and every prompt file, each problem on its own line. */
export function register(program: Command): void {
  program
    .command('lint')
    .description('Check the access file and every prompt file under DIR; exit 1 when there is any problem.')
    .argument('[dir]', 'repository folder', '.')
    .option('--json', 'print one JSON object for machines')
    .option(
      '--server <url>',
      'also ask this server which declared workspaces it deleted (default: see `promptops login --help`)',
    )
    .action(async (dir: string, options: { json?: boolean; server?: string }) => {
      const root = resolve(dir);
      if (!(await stat(root).catch(() => undefined))?.isDirectory()) {
        throw new Error(`lint: ${dir} is not a folder`);
      }
      const fs = new NodeFileSystem(root);
      const index = await PromptIndex.build(fs);
      // Paths as seen from where the user stands, so terminals can open them.
      const prefix = relative(process.cwd(), root).split('\\').join('/');
      const fromServer = index.hasAccessFile
        ? await serverWarnings(root, options.server, index.policy.server)
        : { problems: [] };
      const problems: Diagnostic[] = [...index.diagnostics(), ...fromServer.problems].map((d) => ({
        ...d,
        file: prefix ? `${prefix}/${d.file}` : d.file,
      }));
      const errors = problems.filter((d) => d.severity === 'error').length;
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ root, accessFile: index.hasAccessFile, prompts: index.size, errors, warnings: problems.length - errors, problems }, null, 2)}\n`,
        );
      } else {
        for (const d of problems) process.stdout.write(`${formatDiagnostic(d)}\n`);
        if (fromServer.note) process.stderr.write(`promptops lint: ${fromServer.note}\n`);
        const access = index.hasAccessFile ? 'the access file' : 'no access file (built-in roles only)';
        process.stderr.write(
          `promptops lint: ${index.size} prompt file${index.size === 1 ? '' : 's'} and ${access}: ${problems.length === 0 ? 'no problems' : `${errors} error${errors === 1 ? '' : 's'}, ${problems.length - errors} warning${problems.length - errors === 1 ? '' : 's'}`}\n`,
        );
      }
      process.exitCode = problems.length > 0 ? 1 : 0;
    });
}
