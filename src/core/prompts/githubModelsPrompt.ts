import type { Diagnostic } from '../diagnostics';
import { TextPositions } from '../textPositions';
import { buildPromptModel } from './buildPromptModel';
import type { FormatParseResult } from './formatParse';
import {
  describeType,
  isPlainRecord,
  optionalString,
  promptOpsFields,
  readMetadata,
  type MetadataSource,
} from './metadataSource';
import { promptNameFromPath } from './promptFormat';
import type { PromptLayout } from './promptLayout';
import type { MessageRole, PromptMessage } from './promptModel';
import { templateVariables } from './templateVariables';

const ROLES: ReadonlySet<string> = new Set<MessageRole>(['system', 'user', 'assistant', 'developer']);
const BOM = '\uFEFF';

/**
 * Reads a GitHub Models `.prompt.yml` file: one YAML document with `name`, `description`,
 * `model`, `modelParameters`, `messages` [{role, content}], `testData` and `evaluators`.
 * Variables come from message contents only (evaluators have their own `{{…}}`).
 */
export function parseGithubModelsPrompt(path: string, text: string): FormatParseResult {
  const diagnostics: Diagnostic[] = [];
  const positions = new TextPositions(text);
  const prefix = text.startsWith(BOM) ? BOM : '';
  const layout: PromptLayout = {
    prefix,
    metadata: { open: '', yaml: text.slice(prefix.length), close: '' },
    body: '',
    suffix: '',
  };
  const metadata = readMetadata(path, layout.metadata!.yaml, positions, prefix.length, diagnostics);
  const messages = githubModelsMessages(metadata, diagnostics);
  return {
    parts: {
      layout,
      metadata,
      model: buildPromptModel({
        name: optionalString(metadata, ['name'], diagnostics) ?? promptNameFromPath(path),
        description: optionalString(metadata, ['description'], diagnostics),
        model: optionalString(metadata, ['model'], diagnostics),
        parameters: modelParameters(metadata, diagnostics),
        messages,
        variables: templateVariables(messages.map((m) => m.content)),
        ...promptOpsFields(metadata, diagnostics),
        metadata: metadata.data,
      }),
    },
    diagnostics,
  };
}

function modelParameters(metadata: MetadataSource, diagnostics: Diagnostic[]): Record<string, unknown> {
  const value = metadata.data.modelParameters;
  if (value === undefined || value === null) return {};
  if (isPlainRecord(value)) return { ...value };
  diagnostics.push(
    metadata.yaml.diagnostic(
      ['modelParameters'],
      `must be a mapping such as \`temperature: 0.5\`, found ${describeType(value)}`,
    ),
  );
  return {};
}

/** The valid messages; each invalid one is reported at the field that is wrong and left out. */
function githubModelsMessages(metadata: MetadataSource, diagnostics: Diagnostic[]): PromptMessage[] {
  const { yaml, data } = metadata;
  const list = data.messages;
  if (list === undefined || list === null) {
    // Only report a missing list when the YAML itself read cleanly; otherwise it is noise.
    if (!yaml.diagnostics.some((d) => d.severity === 'error')) {
      diagnostics.push(
        yaml.diagnostic(
          ['messages'],
          'missing: a GitHub Models prompt needs a list of messages with `role` and `content`',
        ),
      );
    }
    return [];
  }
  if (!Array.isArray(list)) {
    diagnostics.push(
      yaml.diagnostic(
        ['messages'],
        `must be a list of messages with \`role\` and \`content\`, found ${describeType(list)}`,
      ),
    );
    return [];
  }
  const messages: PromptMessage[] = [];
  list.forEach((item: unknown, i) => {
    const at = ['messages', i];
    if (!isPlainRecord(item)) {
      diagnostics.push(
        yaml.diagnostic(at, `must be a mapping with \`role\` and \`content\`, found ${describeType(item)}`),
      );
      return;
    }
    const { role, content } = item;
    let valid = true;
    if (role === undefined || role === null) {
      diagnostics.push({
        ...yaml.diagnostic(at, 'missing `role`: one of system, user, assistant, developer'),
        field: `messages[${i}].role`,
      });
      valid = false;
    } else if (typeof role !== 'string' || !ROLES.has(role)) {
      const shown = typeof role === 'string' ? `\`${role}\`` : describeType(role);
      diagnostics.push(
        yaml.diagnostic([...at, 'role'], `${shown} is not a message role: use system, user, assistant or developer`),
      );
      valid = false;
    }
    if (content === undefined || content === null) {
      diagnostics.push({
        ...yaml.diagnostic(at, 'missing `content`: the message text'),
        field: `messages[${i}].content`,
      });
      valid = false;
    } else if (typeof content !== 'string') {
      diagnostics.push(yaml.diagnostic([...at, 'content'], `must be text, found ${describeType(content)}`));
      valid = false;
    }
    if (valid) {
      messages.push({ role: role as MessageRole, content: content as string, line: yaml.locate(at).line });
    }
  });
  return messages;
}
