/**
 * Readers for the access file's data before (or despite) schema validation: semantic
 * checks run even when parts of the file have the wrong shape, so that every problem is
 * reported at once; each reader yields nothing where the shape is wrong (the schema
 * reports that) instead of throwing.
 */
export type RawMap = Readonly<Record<string, unknown>>;

export function asMap(value: unknown): RawMap | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawMap) : undefined;
}

/** Own entries only: keys like `constructor` or `__proto__` are data here, never inherited members. */
export function mapEntries(value: unknown): [string, unknown][] {
  const map = asMap(value);
  return map ? Object.entries(map) : [];
}

export function field(value: unknown, key: string): unknown {
  const map = asMap(value);
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}

export function hasField(value: unknown, key: string): boolean {
  const map = asMap(value);
  return map !== undefined && Object.hasOwn(map, key);
}

/** The string items of a list with their indices; other items are the schema's business. */
export function stringItems(value: unknown): [number, string][] {
  if (!Array.isArray(value)) return [];
  const out: [number, string][] = [];
  value.forEach((item, i) => {
    if (typeof item === 'string') out.push([i, item]);
  });
  return out;
}
