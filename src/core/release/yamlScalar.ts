/**
 * A string as a YAML scalar that reads back as that same string: plain when that is
 * unambiguous, else double-quoted (JSON's escapes are valid YAML). Anything a YAML reader
 * might take for a number, boolean, null, date or syntax is quoted.
 */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_./@+-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|nan|inf)$/i;

export function yamlScalar(value: string): string {
  const plain = PLAIN.test(value) && !(value.length <= 5 && RESERVED.test(value));
  return plain ? value : JSON.stringify(value);
}

/** `[a, b]` flow sequence of scalars. */
export function yamlFlowList(values: readonly string[]): string {
  return `[${values.map(yamlScalar).join(', ')}]`;
}

/**
 * The string a scalar written by yamlScalar stands for: its JSON escapes read, or the plain
 * text as it is. Undefined for a quoted value JSON cannot read. Not a YAML reader: a caller
 * checks that yamlScalar writes the result back as the very same text.
 */
export function readYamlScalar(raw: string): string | undefined {
  if (!raw.startsWith('"')) return raw;
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The strings of a `[a, b]` list written by yamlFlowList (same caveat as readYamlScalar). */
export function readYamlFlowList(raw: string): string[] | undefined {
  if (!raw.startsWith('[') || !raw.endsWith(']')) return undefined;
  const inner = raw.slice(1, -1);
  if (inner === '') return [];
  const items: string[] = [];
  const token = /"(?:[^"\\]|\\.)*"|[^,"]+/y;
  let at = 0;
  for (;;) {
    token.lastIndex = at;
    const m = token.exec(inner);
    if (!m) return undefined;
    const v = readYamlScalar(m[0]);
    if (v === undefined) return undefined;
    items.push(v);
    at = token.lastIndex;
    if (at === inner.length) return items;
    if (!inner.startsWith(', ', at)) return undefined;
    at += 2;
  }
}
