import type { PromptValues } from './renderPrompt';

/**
 * `name=value` pairs as typed on a command line; `customer.name=Ann` sets a field of
 * `customer`, so `{{ customer.name }}` works in every format. The first `=` splits.
 */
export function parseVariableAssignments(assignments: readonly string[]): PromptValues {
  const values: PromptValues = Object.create(null) as PromptValues;
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    const name = eq < 0 ? '' : assignment.slice(0, eq).trim();
    const path = name.split('.');
    if (!name || path.some((key) => !/^[A-Za-z_][\w-]*$/.test(key))) {
      throw new Error(`expected name=value, got ${JSON.stringify(assignment)}`);
    }
    let at: Record<string, unknown> = values;
    for (const key of path.slice(0, -1)) {
      const next = Object.hasOwn(at, key) ? at[key] : undefined;
      if (typeof next === 'string') throw new Error(`${key} is given both as a value and as an object (${name})`);
      at = (at[key] ??= Object.create(null) as Record<string, unknown>) as Record<string, unknown>;
    }
    at[path[path.length - 1]] = assignment.slice(eq + 1);
  }
  return values;
}
