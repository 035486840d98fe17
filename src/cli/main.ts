import { Command, CommanderError } from 'commander';
import { commands } from './commands';

/**
 * `promptops …`. Exit codes: 0 success, 1 the check found problems (lint, check, verify)
 * or the action was refused, 2 bad usage or an unexpected failure.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('promptops')
    .description('Role-based access control, review and signed publishing for AI prompts in git.')
    .version(PROMPTOPS_VERSION)
    .exitOverride()
    .showHelpAfterError('(run `promptops --help` for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 success; 1 the check found problems (lint, check, verify) or the action was refused;\n' +
        '2 bad usage or a failure that stopped the command from running (unreadable repo, missing key, server unreachable).',
    );
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`promptops: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

declare const PROMPTOPS_VERSION: string;
