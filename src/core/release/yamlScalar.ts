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
