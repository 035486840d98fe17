import { formatDiagnostic } from '../core/diagnostics';
import { PromptOpsApiError } from '../client/promptOpsApiError';
import { WorkflowRefusal } from '../workflows/workingTree';
import { NotSignedInError } from './apiConnection';

/**
 * Runs a command's work and turns refusals into the CLI's exit codes: a workflow's
 * refusal (nothing changed) or a 4xx is the action refused (exit 1, the server's sentence on stderr, every located
 * problem on its own line); anything else propagates (exit 2).
 */
export async function reportApiErrors(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (err instanceof NotSignedInError || err instanceof WorkflowRefusal) {
      process.stderr.write(`promptops: ${err.message}\n`);
      process.exitCode = 1;
      return;
    }
    if (err instanceof PromptOpsApiError && err.status >= 400 && err.status < 500) {
      for (const d of err.diagnostics ?? []) process.stderr.write(`${formatDiagnostic(d)}\n`);
      const hint = err.status === 401 ? ' (run `promptops login`)' : '';
      process.stderr.write(`promptops: ${err.message}${hint}\n`);
      process.exitCode = 1;
      return;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`promptops: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}

/** A command used wrongly (exit 2), before anything was sent. */
export class UsageError extends Error {}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
