import type { Diagnostic } from '../diagnostics';
import { roleMarkerLine } from '../prompts/promptyPrompt';
import type { ParsedPrompt } from '../prompts/promptModel';
import type { PromptValues } from './renderPrompt';

/**
 * Values that will start messages of their own when a `.prompty` prompt is run: Prompty
 * renders the whole body and then splits it at role markers (as upstream Prompty does, so a
 * template loop can write a conversation), so a value with a line such as `system:` sends
 * the text after it as a system message. Run and evaluate still send what Prompty makes of
 * it; these warnings say so, naming the value (nested ones by their path) and the line.
 * Other formats fill values into messages already split: nothing to say.
 */
export function valuesStartingMessages(prompt: ParsedPrompt, values: PromptValues): Diagnostic[] {
  if (prompt.format !== 'prompty') return [];
  const found: Diagnostic[] = [];
  const visit = (value: unknown, path: string, depth: number): void => {
    if (typeof value === 'string') {
      const line = roleMarkerLine(value);
      if (line === undefined) return;
      found.push({
        file: prompt.path,
        line: 1,
        column: 1,
        field: `vars.${path}`,
        message: `the value of \`${path}\` has a line "${line.slice(0, 40)}", where Prompty starts a new message: the run sends what follows it as a message of its own`,
        severity: 'warning',
      });
    } else if (Array.isArray(value) && depth < MAX_DEPTH) {
      value.forEach((item, i) => visit(item, `${path}[${i}]`, depth + 1));
    } else if (typeof value === 'object' && value !== null && depth < MAX_DEPTH) {
      for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`, depth + 1);
    }
  };
  for (const [name, value] of Object.entries(values)) visit(value, name, 0);
  return found;
}

/** Values are a command line's strings or a data set's JSON: a few levels at most. */
const MAX_DEPTH = 8;
