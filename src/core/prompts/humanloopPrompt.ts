import type { Diagnostic } from '../diagnostics';
import type { TextPositions } from '../textPositions';
import { buildPromptModel } from './buildPromptModel';
import { dedentBlock } from './dedent';
import { diagnosticAt } from './diagnosticAt';
import type { FormatParseResult } from './formatParse';
import { readFrontMatterPrompt } from './frontMatterPrompt';
import { skipWhitespace, trimmedText } from './messageText';
import { optionalString, promptOpsFields, type MetadataSource } from './metadataSource';
import { promptNameFromPath } from './promptFormat';
import type { MessageRole, PromptMessage } from './promptModel';
import { templateVariables } from './templateVariables';

const ROLE_TAGS: ReadonlySet<string> = new Set<MessageRole>(['system', 'user', 'assistant', 'developer', 'tool']);

/** Front matter keys that describe the prompt rather than configure the model call. */
const NON_PARAMETER_KEYS = new Set([
  'model',
  'name',
  'description',
  'workspace',
  'env',
  'version_name',
  'version_description',
  'attributes',
  'tags',
]);

const TAG = /<(\/?)([A-Za-z][\w-]*)\b[^<>]*>/y;
const ANY_ROLE_TAG = /<(system|user|assistant|developer|tool)\b[^<>]*>/i;
/** A badly broken body would otherwise report every stray tag in a large file. */
const MAX_BODY_ERRORS = 20;

/**
 * Reads a Humanloop `.prompt` file: YAML front matter (`model`, `temperature`,
 * `max_tokens`, `provider`, `endpoint`, `tools`, …), then `<system>`, `<user>` and
 * `<assistant>` blocks. A body with no tags at all is a completion prompt: one user message.
 */
export function parseHumanloopPrompt(path: string, text: string): FormatParseResult {
  const diagnostics: Diagnostic[] = [];
  const file = readFrontMatterPrompt(path, text, diagnostics);
  if (!file) return { diagnostics };
  const { layout, metadata } = file;
  const messages = humanloopMessages(path, layout.body, file.bodyOffset, file.positions, diagnostics);
  return {
    parts: {
      layout,
      metadata,
      model: buildPromptModel({
        name: optionalString(metadata, ['name'], diagnostics) ?? promptNameFromPath(path),
        description: optionalString(metadata, ['description'], diagnostics),
        model: optionalString(metadata, ['model'], diagnostics),
        parameters: humanloopParameters(metadata),
        messages,
        variables: templateVariables(messages.map((m) => m.content)),
        ...promptOpsFields(metadata, diagnostics),
        metadata: metadata?.data ?? {},
      }),
    },
    diagnostics,
  };
}

function humanloopParameters(metadata: MetadataSource | undefined): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata?.data ?? {})) {
    if (!NON_PARAMETER_KEYS.has(key)) parameters[key] = value;
  }
  return parameters;
}

function humanloopMessages(
  path: string,
  body: string,
  bodyOffset: number,
  positions: TextPositions,
  diagnostics: Diagnostic[],
): PromptMessage[] {
  const lineOf = (offset: number): number => positions.at(bodyOffset + offset).line;
  let errors = 0;
  const error = (offset: number, field: string, message: string): void => {
    errors++;
    diagnostics.push(diagnosticAt(path, positions, bodyOffset + offset, field, message));
  };
  const messages: PromptMessage[] = [];
  const whole = trimmedText(body, 0, body.length);
  if (!whole.content) return messages;
  if (!ANY_ROLE_TAG.test(body)) {
    // No message blocks: a completion-endpoint prompt, the whole body is the prompt text.
    return [{ role: 'user', content: whole.content, line: lineOf(whole.offset) }];
  }
  let i = 0;
  while (i < body.length && errors < MAX_BODY_ERRORS) {
    const at = skipWhitespace(body, i);
    if (at >= body.length) break;
    TAG.lastIndex = at;
    const tag = TAG.exec(body);
    const field = `messages[${messages.length}]`;
    if (!tag) {
      error(at, field, 'text outside a message block: put it inside <system>, <user> or <assistant>');
      const resume = findTagAfter(body, at + 1);
      if (resume < 0) break;
      i = resume;
      continue;
    }
    const [openTag, slash, tagName] = tag;
    const name = tagName.toLowerCase();
    if (slash) {
      error(at, field, `closing tag </${tagName}> has no opening tag`);
      i = at + openTag.length;
      continue;
    }
    const known = ROLE_TAGS.has(name);
    if (openTag.endsWith('/>')) {
      // `<user />` is an empty message; other self-closing tags stand alone.
      if (known) messages.push({ role: name as MessageRole, content: '', line: lineOf(at) });
      else error(at, field, `unknown tag <${tagName}>: message blocks are <system>, <user> and <assistant>`);
      i = at + openTag.length;
      continue;
    }
    const closeTag = `</${tagName}>`;
    const close = body.indexOf(closeTag, at + openTag.length);
    if (!known) {
      error(at, field, `unknown tag <${tagName}>: message blocks are <system>, <user> and <assistant>`);
      if (close < 0) break;
      i = close + closeTag.length;
      continue;
    }
    if (close < 0) {
      error(at, field, `<${tagName}> is never closed: add ${closeTag}`);
      break;
    }
    messages.push({
      role: name as MessageRole,
      content: dedentBlock(body.slice(at + openTag.length, close)),
      line: lineOf(at),
    });
    i = close + closeTag.length;
  }
  return messages;
}

function startsWithTag(body: string, offset: number): boolean {
  TAG.lastIndex = offset;
  return TAG.test(body);
}

/** Offset of the next `<tag>` at or after `from` that could start a block, or -1. */
function findTagAfter(body: string, from: number): number {
  for (let i = body.indexOf('<', from); i >= 0; i = body.indexOf('<', i + 1)) {
    if (startsWithTag(body, i)) return i;
  }
  return -1;
}
