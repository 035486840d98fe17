import Mustache from 'mustache';
import nunjucks from 'nunjucks';
import { LocatedError, type Diagnostic } from '../diagnostics';
import { promptyMessages } from '../prompts/promptyPrompt';
import type { ParsedPrompt } from '../prompts/promptModel';
import { templateVariables, vscodeInputVariables } from '../prompts/templateVariables';
import type { ChatMessage } from './chatMessage';
import { fillTemplateTags, templateText } from './fillTemplateTags';
import { promptInputs } from './promptInputs';
import { promptyTemplateEngine } from './promptyTemplateEngine';

/** Values for a prompt's variables: strings from a command line, any JSON-like data from code. */
export type PromptValues = Record<string, unknown>;

/**
 * A prompt's messages with its variables filled in, each format with its own syntax:
 * `{{ name }}` in `.prompt` and `.prompt.yml`, the `template:` engine in `.prompty`
 * (Jinja2 or Mustache, never HTML-escaping), `${input:name}` in `.prompt.md`.
 * Pure. Throws a LocatedError naming every missing variable before rendering anything.
 */
export function renderPrompt(prompt: ParsedPrompt, values: PromptValues): ChatMessage[] {
  const filled = withDefaults(prompt, values);
  const missing = prompt.model.variables.filter((name) => !Object.hasOwn(filled, name));
  if (missing.length) throw new LocatedError(missing.map((name) => missingVariable(prompt, name)));
  switch (prompt.format) {
    case 'humanloop':
    case 'github-models':
      return substituteAll(prompt, filled);
    case 'vscode-prompt-md':
      return prompt.model.messages.map((m) => ({ role: m.role, content: substituteInputs(m.content, filled) }));
    case 'prompty':
      return renderPrompty(prompt, filled);
  }
}

function withDefaults(prompt: ParsedPrompt, values: PromptValues): PromptValues {
  // No prototype: `{{ constructor }}` must not find Object.
  const filled = Object.create(null) as PromptValues;
  for (const input of promptInputs(prompt)) if (input.default !== undefined) filled[input.name] = input.default;
  for (const [name, value] of Object.entries(values)) filled[name] = value;
  return filled;
}

/** The `{{ }}` formats: every tag filled, or a LocatedError naming each one without a value. */
function substituteAll(prompt: ParsedPrompt, values: PromptValues): ChatMessage[] {
  const unresolved = new Set<string>();
  const messages = prompt.model.messages.map((m) => {
    const { text, missing } = fillTemplateTags(m.content, values);
    for (const path of missing) unresolved.add(path);
    return { role: m.role, content: text };
  });
  if (unresolved.size) throw new LocatedError([...unresolved].map((path) => missingVariable(prompt, path)));
  return messages;
}

/** `${input:name}` and `${input:name:placeholder}` → value; `${selection}` and the like stay for the editor. */
function substituteInputs(text: string, values: PromptValues): string {
  return text.replace(/\$\{input:([^}:]*)(?::[^}]*)?\}/g, (tag, name: string) =>
    Object.hasOwn(values, name.trim()) ? templateText(values[name.trim()]) : tag,
  );
}

/**
 * Prompty renders the whole body, then splits it at role markers, so a loop may write
 * several messages (`{% for m in history %}{{m.role}}:…`). The body is rebuilt from the
 * parsed messages, each behind its own marker.
 */
function renderPrompty(prompt: ParsedPrompt, values: PromptValues): ChatMessage[] {
  const body = prompt.model.messages.map((m) => `${m.role}:\n${m.content}`).join('\n\n');
  let rendered: string;
  try {
    rendered =
      promptyTemplateEngine(prompt) === 'mustache'
        ? Mustache.render(body, values, {}, { escape: (text: unknown) => templateText(text) })
        : jinja().renderString(body, values);
  } catch (e) {
    if (e instanceof LocatedError) throw e;
    throw new LocatedError([
      {
        file: prompt.path,
        line: prompt.model.messages[0]?.line ?? 1,
        column: 1,
        field: 'template',
        message: `cannot render the template: ${e instanceof Error ? e.message.replace(/\s+/g, ' ').trim() : String(e)}`,
        severity: 'error',
      },
    ]);
  }
  return promptyMessages(rendered, () => 0).map((m) => ({ role: m.role, content: m.content }));
}

let environment: nunjucks.Environment | undefined;

/** No loaders: `{% include %}` cannot read files. No autoescape: a prompt is not HTML. */
function jinja(): nunjucks.Environment {
  if (!environment) {
    guardMemberLookups();
    environment = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: false });
  }
  return environment;
}

type MemberLookup = (obj: unknown, key: unknown) => unknown;

/**
 * Nunjucks is no sandbox: `{{ ''.constructor.constructor('…')() }}` in a prompt file would
 * run code on the machine of whoever runs it. Every `a.b` / `a[b]` a template evaluates
 * goes through `runtime.memberLookup`; here it sees only the value's own data, never a
 * function and never anything inherited, which is all a prompt needs of its variables.
 * (Filters such as `upper` or `join` still work: they are not member lookups.)
 */
function guardMemberLookups(): void {
  const runtime = nunjucks.runtime as unknown as { memberLookup: MemberLookup; guarded?: true };
  if (runtime.guarded) return;
  runtime.memberLookup = (obj, key) => {
    if (obj === undefined || obj === null) return undefined;
    const holder = Object(obj) as Record<PropertyKey, unknown>;
    if ((typeof key !== 'string' && typeof key !== 'number') || !Object.hasOwn(holder, key)) return undefined;
    const value = holder[key];
    return typeof value === 'function' ? undefined : value;
  };
  runtime.guarded = true;
}

function missingVariable(prompt: ParsedPrompt, name: string): Diagnostic {
  const uses = prompt.format === 'vscode-prompt-md' ? vscodeInputVariables : templateVariables;
  const root = name.split('.')[0];
  const index = prompt.model.messages.findIndex((m) => uses([m.content]).includes(root));
  const message = prompt.model.messages[index];
  const field = prompt.format === 'github-models' ? `messages[${index}].content` : `messages[${index}]`;
  return {
    file: prompt.path,
    line: message?.line ?? 1,
    column: 1,
    field: index >= 0 ? field : '',
    message: `missing variable \`${name}\`: give it a value`,
    severity: 'error',
  };
}
