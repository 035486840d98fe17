import { Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import { formatDiagnostic } from '../../core/diagnostics';
import { PromptIndex, PROMPT_ACTIONS } from '../../core/index/promptIndex';
import { BUILTIN_ROLES, type BuiltinRole } from '../../core/policy/actions';
import { NodeFileSystem } from '../nodeFileSystem';

/** `promptops explain <file> --user NAME --role ROLE`: what that user may do with the file, and why. */
export function register(program: Command): void {
  program
    .command('explain')
    .description('Say what a user may do with a file under the repository access file, and why.')
    .argument('<file>', 'a prompt file (or any file in the repository)')
    .requiredOption('--user <name>', 'the username to explain for')
    .addOption(
      new Option('--role <role>', 'their org role on the server').choices([...BUILTIN_ROLES]).makeOptionMandatory(),
    )
    .option('--author <name>', 'author of the change under review (for approvals)')
    .option('--json', 'print JSON for machines')
    .action(async (file: string, options: { user: string; role: BuiltinRole; author?: string; json?: boolean }) => {
      const abs = resolve(file);
      if (!existsSync(abs)) throw new Error(`explain: ${file} does not exist`);
      const fs = new NodeFileSystem(findRepoRoot(dirname(abs)));
      const path = fs.relative(abs);
      const index = await PromptIndex.build(fs);
      const accessProblems = index.diagnostics().filter((d) => d.file === ACCESS_FILE_PATH && d.severity === 'error');
      if (accessProblems.length) {
        for (const d of accessProblems) process.stderr.write(`${formatDiagnostic(d)}\n`);
        throw new Error('explain: the access file has errors; fix them first (see `promptops lint`)');
      }
      const actor = { username: options.user, role: options.role };
      const prompt = index.get(path);
      const decisions = PROMPT_ACTIONS.map((action) => ({
        action,
        ...index.decide(actor, action, path, options.author),
      }));
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ path, prompt: prompt ? { workspace: prompt.workspace, env: prompt.env, protected: prompt.protected } : null, user: actor, decisions }, null, 2)}\n`,
        );
        return;
      }
      const where = prompt
        ? `workspace ${prompt.workspace}, env ${prompt.env}${prompt.protected ? ', protected' : ''}`
        : 'not a prompt file';
      process.stdout.write(`${path} (${where})\n${actor.username}, org role ${actor.role}:\n`);
      const width = Math.max(...decisions.map((d) => d.action.length));
      for (const d of decisions) {
        process.stdout.write(`  ${d.allowed ? 'yes' : 'no '}  ${d.action.padEnd(width)}  ${d.reason}\n`);
      }
    });
}

/** The nearest folder upwards holding the access file or a `.git`; else the file's own folder. */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ACCESS_FILE_PATH)) || existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}
