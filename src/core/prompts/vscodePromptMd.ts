import type { Diagnostic } from '../diagnostics';
import { buildPromptModel } from './buildPromptModel';
import type { FormatParseResult } from './formatParse';
import { readFrontMatterPrompt } from './frontMatterPrompt';
import { trimmedText } from './messageText';
import { optionalString, promptOpsFields, type MetadataSource } from './metadataSource';
import { promptNameFromPath } from './promptFormat';
import type { PromptMessage } from './promptModel';
import { vscodeInputVariables } from './templateVariables';

/**
 * Reads a VS Code `.prompt.md` file: optional front matter (`mode`/`agent`, `model`,
 * `tools`, `description`, `name`, `argument-hint`, …), then the body as one user message.
 * Its inputs are `${input:name}`; `${selection}`, `${file}` and the like are not inputs.
 */
export function parseVscodePromptMd(path: string, text: string): FormatParseResult {
  const diagnostics: Diagnostic[] = [];
  const file = readFrontMatterPrompt(path, text, diagnostics);
  if (!file) return { diagnostics };
  const { layout, metadata } = file;
  const body = trimmedText(layout.body, 0, layout.body.length);
  const messages: PromptMessage[] = body.content
    ? [{ role: 'user', content: body.content, line: file.positions.at(file.bodyOffset + body.offset).line }]
    : [];
  return {
    parts: {
      layout,
      metadata,
      model: buildPromptModel({
        name: optionalString(metadata, ['name'], diagnostics) ?? promptNameFromPath(path),
        description: optionalString(metadata, ['description'], diagnostics),
        model: promptMdModel(metadata, diagnostics),
        parameters: {},
        messages,
        variables: vscodeInputVariables(messages.map((m) => m.content)),
        ...promptOpsFields(metadata, diagnostics),
        metadata: metadata?.data ?? {},
      }),
    },
    diagnostics,
  };
}

/** `model` is one name, or (in newer VS Code) a list tried in order: the first is the one meant. */
function promptMdModel(metadata: MetadataSource | undefined, diagnostics: Diagnostic[]): string | undefined {
  const value = metadata?.data.model;
  if (Array.isArray(value) && value.length > 0 && value.every((m) => typeof m === 'string')) return value[0];
  return optionalString(metadata, ['model'], diagnostics);
}
