import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../../core/diagnostics';
import { PromptIndex } from '../../core/index/promptIndex';
import { NodeFileSystem } from '../nodeFileSystem';

/** `promptops lint [DIR]`: the access file and every prompt file, each problem on its own line. */
export function register(program: Command): void {
  program
    .command('lint')
    .description('Check the access file and every prompt file under DIR; exit 1 when there is any problem.')
    .argument('[dir]', 'repository folder', '.')
    .option('--json', 'print one JSON object for machines')
    .action(async (dir: string, options: { json?: boolean }) => {
      const root = resolve(dir);
      if (!(await stat(root).catch(() => undefined))?.isDirectory()) {
        throw new Error(`lint: ${dir} is not a folder`);
      }
      const fs = new NodeFileSystem(root);
      const index = await PromptIndex.build(fs);
      // Paths as seen from where the user stands, so terminals can open them.
      const prefix = relative(process.cwd(), root).split('\\').join('/');
      const problems: Diagnostic[] = index
        .diagnostics()
        .map((d) => ({ ...d, file: prefix ? `${prefix}/${d.file}` : d.file }));
      const errors = problems.filter((d) => d.severity === 'error').length;
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ root, accessFile: index.hasAccessFile, prompts: index.size, errors, warnings: problems.length - errors, problems }, null, 2)}\n`,
        );
      } else {
        for (const d of problems) process.stdout.write(`${formatDiagnostic(d)}\n`);
        const access = index.hasAccessFile ? 'the access file' : 'no access file (built-in roles only)';
        process.stderr.write(
          `promptops lint: ${index.size} prompt file${index.size === 1 ? '' : 's'} and ${access}: ${problems.length === 0 ? 'no problems' : `${errors} error${errors === 1 ? '' : 's'}, ${problems.length - errors} warning${problems.length - errors === 1 ? '' : 's'}`}\n`,
        );
      }
      process.exitCode = problems.length > 0 ? 1 : 0;
    });
}
