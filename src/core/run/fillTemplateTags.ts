/**
 * `{{ name }}` and `{{ name.field }}` → value, in one pass: a value that itself contains
 * `{{ … }}` is not expanded again. Other tags are text, as GitHub Models and Humanloop
 * templates have no logic. Returns the text and the tags no value was found for.
 */
export function fillTemplateTags(text: string, values: Record<string, unknown>): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const filled = text.replace(/\{\{\s*([A-Za-z_]\w*(?:\.\w+)*)\s*\}\}/g, (_tag, path: string) => {
    const value = valueAt(values, path.split('.'));
    if (value === undefined) missing.add(path);
    return templateText(value);
  });
  return { text: filled, missing: [...missing] };
}

function valueAt(values: Record<string, unknown>, path: string[]): unknown {
  let at: unknown = values;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** A variable's value as the text a template shows: strings as they are, data as JSON. */
export function templateText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}
