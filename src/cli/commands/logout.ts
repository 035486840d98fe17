import type { Command } from 'commander';
import { PromptOpsApiError } from '../../client/promptOpsApiError';
import { PromptOpsClient } from '../../client/promptOpsClient';
import { readCredentials, removeCredentials } from '../credentials';

/** `promptops logout`: ends the session on the server (when it can) and forgets the token. */
export function register(program: Command): void {
  program
    .command('logout')
    .description('End the stored session on the server and delete the stored token.')
    .action(async () => {
      const stored = readCredentials();
      if (!stored) {
        process.stderr.write('Not signed in.\n');
        return;
      }
      try {
        await new PromptOpsClient({ server: stored.server, token: stored.token }).logout();
      } catch (err) {
        // An expired token or an unreachable server: forgetting it locally is still what was asked.
        if (!(err instanceof PromptOpsApiError)) throw err;
      }
      removeCredentials();
      process.stderr.write(`Signed out of ${stored.server}.\n`);
    });
}
