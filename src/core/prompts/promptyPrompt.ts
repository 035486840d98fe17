import type { Diagnostic } from '../diagnostics';
import { buildPromptModel } from './buildPromptModel';
import type { FormatParseResult } from './formatParse';
import { readFrontMatterPrompt } from './frontMatterPrompt';
import { forEachLine, type LineSpan } from './lineBreaks';
import {
  describeType,
  isPlainRecord,
  optionalString,
  promptOpsFields,
  valueAt,
  type MetadataSource,
} from './metadataSource';
import { trimmedText } from './messageText';
import { promptNameFromPath } from './promptFormat';
import type { MessageRole, PromptMessage } from './promptModel';
import { templateVariables } from './templateVariables';

/**
 * A role marker starts a line: `system:`, `User:` (any case), content may follow on the
 * same line. Only these roles: `example:` or `note:` at a line start are ordinary text.
 */
const ROLE_MARKER = /^(system|user|assistant|developer|tool)[ \t]*:/i;

/** The first line of `text` that Prompty reads as the start of a message (`system:`, …), if any. */
export function roleMarkerLine(text: string): string | undefined {
  let found: string | undefined;
  forEachLine(text, 0, text.length, (line) => {
    if (!roleMarkerAt(text, line)) return true;
    found = text.slice(line.start, line.contentEnd).trim();
    return false;
  });
  return found;
}

/** The role marker `line` of `text` starts with (`m[1]` the role), or null: one test for the body and for values. */
function roleMarkerAt(text: string, line: LineSpan): RegExpExecArray | null {
  // Cheap first-character test before the regex: bodies can be megabytes of text.
  const first = text.charCodeAt(line.start) | 0x20;
  if (first !== 0x73 && first !== 0x75 && first !== 0x61 && first !== 0x64 && first !== 0x74) return null;
  return ROLE_MARKER.exec(text.slice(line.start, Math.min(line.contentEnd, line.start + 16)));
}

/** Where Prompty v1 and v2 files name their model, most specific first. */
const MODEL_ID_PATHS: readonly (readonly string[])[] = [
  ['id'],
  ['configuration', 'azure_deployment'],
  ['configuration', 'model'],
  ['configuration', 'name'],
  ['connection', 'azure_deployment'],
  ['connection', 'model'],
];

/** Reads a `.prompty` file: front matter, then a body split at role markers. */
export function parsePromptyPrompt(path: string, text: string): FormatParseResult {
  const diagnostics: Diagnostic[] = [];
  const file = readFrontMatterPrompt(path, text, diagnostics);
  if (!file) return { diagnostics };
  const { layout, metadata } = file;
  const messages = promptyMessages(layout.body, (offset) => file.positions.at(file.bodyOffset + offset).line);
  const { model, parameters } = promptyModel(metadata, diagnostics);
  return {
    parts: {
      layout,
      metadata,
      model: buildPromptModel({
        name: optionalString(metadata, ['name'], diagnostics) ?? promptNameFromPath(path),
        description: optionalString(metadata, ['description'], diagnostics),
        model,
        parameters,
        messages,
        variables: templateVariables(messages.map((m) => m.content)),
        ...promptOpsFields(metadata, diagnostics),
        metadata: metadata?.data ?? {},
      }),
    },
    diagnostics,
  };
}

/** Splits a body at role markers; text with no marker before it is the system message. */
export function promptyMessages(body: string, lineOf: (offset: number) => number): PromptMessage[] {
  const messages: PromptMessage[] = [];
  let role: MessageRole = 'system';
  let markerOffset: number | undefined;
  let contentStart = 0;
  const flush = (end: number): void => {
    const text = trimmedText(body, contentStart, end);
    // Text before the first marker is only a message when it says something.
    if (markerOffset === undefined && !text.content) return;
    messages.push({ role, content: text.content, line: lineOf(markerOffset ?? text.offset) });
  };
  forEachLine(body, 0, body.length, (line) => {
    const m = roleMarkerAt(body, line);
    if (!m) return;
    flush(line.start);
    role = m[1].toLowerCase() as MessageRole;
    markerOffset = line.start;
    contentStart = line.start + m[0].length;
  });
  flush(body.length);
  return messages;
}

function promptyModel(
  metadata: MetadataSource | undefined,
  diagnostics: Diagnostic[],
): { model?: string; parameters: Record<string, unknown> } {
  const value = metadata?.data.model;
  if (value === undefined || value === null) return { parameters: {} };
  if (typeof value === 'string') return { model: value, parameters: {} };
  if (!isPlainRecord(value)) {
    diagnostics.push(
      metadata!.yaml.diagnostic(['model'], `must be a model id or a mapping, found ${describeType(value)}`),
    );
    return { parameters: {} };
  }
  let model: string | undefined;
  for (const path of MODEL_ID_PATHS) {
    const id = valueAt(value, path);
    if (typeof id === 'string') {
      model = id;
      break;
    }
  }
  // v1 keeps parameters in `parameters`, v2 in `options`; either may be a `${file:…}` reference.
  const parameters = isPlainRecord(value.parameters)
    ? value.parameters
    : isPlainRecord(value.options)
      ? value.options
      : {};
  return { model, parameters: { ...parameters } };
}
