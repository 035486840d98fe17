import type { Diagnostic } from '../diagnostics';
import type { TextPositions } from '../textPositions';
import { YamlSource } from '../yamlSource';

/** The metadata YAML of a prompt file, parsed with positions into the whole file. */
export interface MetadataSource {
  yaml: YamlSource;
  /** The YAML as plain data; {} when it is empty or not a mapping. */
  data: Record<string, unknown>;
}

/** Parses metadata YAML that starts at `offset` in the file; problems go to `diagnostics`. */
export function readMetadata(
  file: string,
  yamlText: string,
  positions: TextPositions,
  offset: number,
  diagnostics: Diagnostic[],
): MetadataSource {
  // YAML 1.2 counts a lone CR as a line break, as editors do, but the yaml package does
  // not; LF has the same length, so every offset still points into the original text.
  const yaml = new YamlSource(file, yamlText.replace(/\r(?!\n)/g, '\n'), positions, offset);
  diagnostics.push(...yaml.diagnostics);
  let value: unknown;
  try {
    value = yaml.toJS();
  } catch (e) {
    // toJS refuses documents that expand too many aliases (a "billion laughs" file).
    diagnostics.push(yaml.diagnostic([], `cannot read the YAML: ${e instanceof Error ? e.message : String(e)}`));
    return { yaml, data: {} };
  }
  if (value === undefined || value === null) return { yaml, data: {} };
  if (!isPlainRecord(value)) {
    diagnostics.push(yaml.diagnostic([], `expected a mapping of \`key: value\` fields, found ${describeType(value)}`));
    return { yaml, data: {} };
  }
  return { yaml, data: value };
}

/**
 * A top-level field that must be a string when present. An empty value (`key:`) counts
 * as absent; anything else is reported where it is written.
 */
export function optionalString(
  source: MetadataSource | undefined,
  path: readonly (string | number)[],
  diagnostics: Diagnostic[],
): string | undefined {
  const value = valueAt(source?.data, path);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  diagnostics.push(source!.yaml.diagnostic(path, `must be a string, found ${describeType(value)}`));
  return undefined;
}

/** The PromptOps fields any format may carry. */
export function promptOpsFields(
  source: MetadataSource | undefined,
  diagnostics: Diagnostic[],
): { workspace?: string; env?: string } {
  const fields: { workspace?: string; env?: string } = {};
  const workspace = optionalString(source, ['workspace'], diagnostics);
  if (workspace !== undefined) fields.workspace = workspace;
  const env = optionalString(source, ['env'], diagnostics);
  if (env !== undefined) fields.env = env;
  return fields;
}

export function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let value = data;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
    else if (isPlainRecord(value) && typeof segment === 'string' && Object.hasOwn(value, segment))
      value = value[segment];
    else return undefined;
  }
  return value;
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Map) &&
    !(value instanceof Set)
  );
}

/** How a wrong value is named in messages: "a list", "a number", … */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return `a number (${value})`;
  if (typeof value === 'boolean') return `a boolean (${value})`;
  return `a ${typeof value}`;
}
