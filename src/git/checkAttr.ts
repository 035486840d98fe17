/** One path's answer from `git check-attr -z`: each attribute's state as git prints it. */
export interface PathAttributes {
  path: string;
  /** `unspecified`, `unset`, `set`, or the value (`auto`, `lf`, …), per attribute asked for. */
  values: Record<string, string>;
}

/**
 * `git check-attr -z` output: `path NUL attribute NUL info NUL` per path and attribute,
 * grouped by path in the order git answers.
 */
export function parseCheckAttrZ(output: string): PathAttributes[] {
  const fields = output.split('\0');
  const byPath = new Map<string, PathAttributes>();
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const [path, attribute, info] = [fields[i], fields[i + 1], fields[i + 2]];
    let entry = byPath.get(path);
    if (!entry) byPath.set(path, (entry = { path, values: {} }));
    entry.values[attribute] = info;
  }
  return [...byPath.values()];
}
