import { Option, type Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { formatDiagnostic } from '../../core/diagnostics';
import { BUILTIN_ROLES } from '../../core/policy/actions';
import type { Actor } from '../../core/policy/decision';
import { parseVariableAssignments, VariableAssignmentError } from '../../core/run/variableAssignments';
import { openGitRepository } from '../../git';
import { ChatModelError } from '../../workflows/chatModel';
import { endpointFromEnv, OpenAiChatModel } from '../../workflows/openAiEndpoint';
import { prepareRun, readRunnablePrompt, streamRun } from '../../workflows/runPrompt';
import { resolveActingUser } from '../actingUser';
import { locatedStep } from '../locatedStep';
import { decidePromptRun } from '../promptRunDecision';

interface RunOptions {
  var: string[];
  varJson: string[];
  model?: string;
  json?: boolean;
  user?: string;
  role?: string;
}

/** `promptops run <file> [--var name=value …] [--var-json name=JSON …] [--model id]`: render the prompt and stream a model's answer. */
export function register(program: Command): void {
  program
    .command('run')
    .description(
      "Fill a prompt file's variables and stream the answer of an OpenAI-compatible chat-completions endpoint " +
        '(PROMPTOPS_MODEL_BASE_URL, PROMPTOPS_MODEL_API_KEY, PROMPTOPS_MODEL_TIMEOUT_MS). Needs prompt.run, ' +
        'decided with the access file at HEAD; identity as for `promptops check`.',
    )
    .argument('<file>', 'a .prompt, .prompt.yml, .prompty or .prompt.md file')
    .option('--var <name=value>', 'a variable value, always text (repeatable; `a.b=v` sets field b of a)', collect, [])
    .option(
      '--var-json <name=json>',
      'a variable value given as JSON, e.g. `items=["a","b"]`, `n=3`, `vip=true` (repeatable; `a.b=JSON` sets field b of a)',
      collect,
      [],
    )
    .option('--model <id>', "the model to use instead of the prompt's own")
    .option('--json', 'print JSON for machines (the messages sent and the whole answer) instead of streaming')
    .option('--user <name>', 'who is running it')
    .addOption(new Option('--role <role>', 'their org role on the server').choices([...BUILTIN_ROLES]))
    .action(async (file: string, options: RunOptions) => {
      const abs = resolve(file);
      if (!existsSync(abs)) throw new Error(`run: ${file} does not exist`);
      const repo = await openGitRepository(dirname(abs)).catch(() => undefined);
      const path = repo ? relative(repo.root, abs).split('\\').join('/') : file;
      const text = readFileSync(abs, 'utf8');
      const values = (() => {
        try {
          return parseVariableAssignments(options.var, options.varJson);
        } catch (e) {
          if (!(e instanceof VariableAssignmentError)) throw e;
          throw new Error(`run: --${e.option} ${e.message}`, { cause: e });
        }
      })();

      const acting = await resolveActingUser(options, repo);
      const actor: Actor = { username: acting.username, role: acting.role };
      const prompt = locatedStep(() => readRunnablePrompt(path, text), `run: ${path} has errors; fix them first`);
      const decision = await decidePromptRun('run', repo, actor, {
        path,
        workspace: prompt.model.workspace,
        env: prompt.model.env,
      });
      if (!decision.allowed) {
        process.stderr.write(
          `promptops run: ${actor.username} (${actor.role}; by ${acting.source}) may not run ${path} [${decision.rule}]: ${decision.reason}\n`,
        );
        process.exitCode = 1;
        return;
      }
      const { request, warnings } = locatedStep(
        () => prepareRun(prompt, values, options.model),
        (e) => {
          const missing = e.diagnostics.flatMap((d) => /^missing variable `([^`]+)`/.exec(d.message)?.[1] ?? []);
          return missing.length
            ? `run: ${path} needs ${missing.length === 1 ? 'a value' : 'values'} for ${missing.join(', ')} (--var NAME=VALUE)`
            : `run: ${path} cannot run as it is (--model chooses a model)`;
        },
      );

      for (const w of warnings) process.stderr.write(`promptops run: ${formatDiagnostic(w)}\n`);

      try {
        const chat = new OpenAiChatModel(endpointFromEnv());
        if (options.json) {
          const answer = await streamRun(chat, request, () => undefined);
          process.stdout.write(
            `${JSON.stringify({ path, model: request.model, messages: request.messages, answer }, null, 2)}\n`,
          );
          return;
        }
        process.stderr.write(`promptops run: ${path} with ${request.model} at ${chat.description}\n`);
        const answer = await streamRun(chat, request, (piece) => process.stdout.write(piece));
        if (!answer.endsWith('\n')) process.stdout.write('\n');
      } catch (e) {
        if (e instanceof ChatModelError) throw new Error(`run: ${e.message}`, { cause: e });
        throw e;
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
