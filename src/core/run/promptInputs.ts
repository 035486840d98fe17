import { isPlainRecord } from '../prompts/metadataSource';
import type { ParsedPrompt } from '../prompts/promptModel';

/** One variable a prompt needs before it can run. */
export interface PromptInput {
  name: string;
  /** The value used when none is given (a Prompty `inputs` default). */
  default?: string;
  /** A hint for whoever types the value (a `.prompt.md` `${input:name:placeholder}`, a Prompty input's description). */
  placeholder?: string;
}

/** The variables a prompt's messages use (the parser's own list), with what the file says about each. */
export function promptInputs(prompt: ParsedPrompt): PromptInput[] {
  const declared =
    prompt.format === 'prompty' ? promptyInputs(prompt.model.metadata.inputs) : new Map<string, Declared>();
  const placeholders = prompt.format === 'vscode-prompt-md' ? inputPlaceholders(prompt) : new Map<string, string>();
  return prompt.model.variables.map((name) => {
    const input: PromptInput = { name };
    const d = declared.get(name);
    if (d?.default !== undefined) input.default = d.default;
    const hint = placeholders.get(name) ?? d?.placeholder;
    if (hint !== undefined) input.placeholder = hint;
    return input;
  });
}

interface Declared {
  default?: string;
  placeholder?: string;
}

/** Prompty v1 declares inputs as a mapping `name: {default, description}`, v2 as a list of `{name, default, description}`. */
function promptyInputs(inputs: unknown): Map<string, Declared> {
  const out = new Map<string, Declared>();
  const entries: [string, unknown][] = Array.isArray(inputs)
    ? inputs.filter(isPlainRecord).map((i) => [String(i.name), i])
    : isPlainRecord(inputs)
      ? Object.entries(inputs)
      : [];
  for (const [name, spec] of entries) {
    if (!isPlainRecord(spec)) continue;
    const d: Declared = {};
    if (isScalar(spec.default)) d.default = String(spec.default);
    if (typeof spec.description === 'string') d.placeholder = spec.description;
    out.set(name, d);
  }
  return out;
}

function inputPlaceholders(prompt: ParsedPrompt): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of prompt.model.messages) {
    for (const [, name, hint] of m.content.matchAll(/\$\{input:([^}:]*):([^}]*)\}/g)) {
      if (!out.has(name.trim())) out.set(name.trim(), hint);
    }
  }
  return out;
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
