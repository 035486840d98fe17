import type { Command } from 'commander';
import { expiryFrom } from '../../core/expiry';
import { ACTIONS, isAction, type Action } from '../../core/policy/actions';
import type { PromptOpsClient } from '../../client/promptOpsClient';
import type { ApiKeyDto } from '../../shared/api/apiKeys';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';

interface Common {
  server?: string;
  json?: boolean;
}

interface CreateFlags extends Common {
  action: string[];
  serviceAccount?: string;
  workspace?: string[];
  env?: string[];
  expires?: string;
}

function actionsFrom(values: string[]): Action[] {
  const unknown = values.filter((a) => !isAction(a));
  if (unknown.length > 0) {
    throw new Error(`api-keys create: unknown action ${unknown.join(', ')}; expected some of ${ACTIONS.join(', ')}`);
  }
  return values as Action[];
}

function scopeText(k: ApiKeyDto): string {
  const where = [
    k.scope.workspaces && `workspaces ${k.scope.workspaces.join(',')}`,
    k.scope.envs && `envs ${k.scope.envs.join(',')}`,
  ];
  return [k.scope.actions.join(','), ...where.filter(Boolean)].join('; ');
}

function printKey(k: ApiKeyDto): void {
  const used = k.lastUsedAt ? `last used ${k.lastUsedAt}` : 'never used';
  process.stdout.write(
    `${k.id}  ${k.name.padEnd(20)} ${k.createdBy.padEnd(16)} expires ${k.expiresAt}  ${used}\n    ${scopeText(k)}\n`,
  );
}

/** The key with this id, or the caller's only key with this name. */
async function keyNamed(client: PromptOpsClient, idOrName: string): Promise<ApiKeyDto> {
  const keys = await client.listApiKeys();
  const byId = keys.find((k) => k.id === idOrName);
  if (byId) return byId;
  const named = keys.filter((k) => k.name === idOrName);
  if (named.length === 1) return named[0];
  if (named.length > 1) throw new Error(`api-keys revoke: ${named.length} keys are named "${idOrName}"; give the id`);
  throw new Error(`api-keys revoke: no API key "${idOrName}" that you can see on ${client.server}`);
}

/** `promptops api-keys create|list|revoke`: keys that act as you, within a scope. */
export function register(program: Command): void {
  const keys = program
    .command('api-keys')
    .description(
      'API keys for scripts and bots: they act as you, limited to a scope, and never beyond your current rights.',
    );

  keys
    .command('create')
    .description('Create a key; its token is printed once (store it as a secret).')
    .argument('<name>')
    .requiredOption('--action <action...>', `actions the key may take (${ACTIONS.join(', ')})`)
    .option('--workspace <name...>', 'only prompts in these workspaces (default: all)')
    .option('--env <env...>', 'only prompts in these envs (default: all)')
    .option('--expires <when>', 'days from now (30d) or a date; default 90 days, at most a year')
    .option('--service-account <username>', 'admins: a key acting as this service account (a release bot), not as you')
    .option('--server <url>', 'the server')
    .option('--json', 'print JSON for machines')
    .action((name: string, flags: CreateFlags) =>
      reportApiErrors(async () => {
        const created = await connect(flags.server).createApiKey({
          name,
          scope: {
            actions: actionsFrom(flags.action),
            ...(flags.workspace && { workspaces: flags.workspace }),
            ...(flags.env && { envs: flags.env }),
          },
          expiresAt: expiryFrom(flags.expires, Date.now()),
          ...(flags.serviceAccount !== undefined && { serviceAccount: flags.serviceAccount }),
        });
        if (flags.json) return printJson(created);
        printKey(created.key);
        process.stdout.write(
          `\nThe token, shown only now (send it as Authorization: Bearer <token>):\n${created.token}\n`,
        );
      }),
    );

  keys
    .command('list')
    .description('List your keys (admins: everyone’s), never their secrets.')
    .option('--server <url>', 'the server')
    .option('--json', 'print JSON for machines')
    .action((flags: Common) =>
      reportApiErrors(async () => {
        const list = await connect(flags.server).listApiKeys();
        if (flags.json) return printJson(list);
        if (list.length === 0) process.stdout.write('No API keys.\n');
        list.forEach(printKey);
      }),
    );

  keys
    .command('revoke')
    .description('Revoke a key by id or name; it stops working on its next request.')
    .argument('<id-or-name>')
    .option('--server <url>', 'the server')
    .action((idOrName: string, flags: Common) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const key = await keyNamed(client, idOrName);
        await client.revokeApiKey(key.id);
        process.stdout.write(`Revoked ${key.name} (${key.id}).\n`);
      }),
    );
}
