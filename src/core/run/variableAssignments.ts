import type { PromptValues } from './renderPrompt';

/** A `--var` or `--var-json` that cannot be read; `option` names which. */
export class VariableAssignmentError extends Error {
  override name = 'VariableAssignmentError';
  constructor(
    readonly option: 'var' | 'var-json',
    message: string,
  ) {
    super(message);
  }
}

/**
 * `name=value` pairs as typed on a command line; `customer.name=Ann` sets a field of
 * `customer`, so `{{ customer.name }}` works in every format. The first `=` splits.
 * `jsonAssignments` are `name=JSON` (`items=["a","b"]`, `n=3`, `flag=true`): the value is
 * parsed, so a template can loop over a list or compare a number; plain `--var` values
 * always stay text, so `--var n=3` is the string "3".
 */
export function parseVariableAssignments(
  assignments: readonly string[],
  jsonAssignments: readonly string[] = [],
): PromptValues {
  const values: PromptValues = Object.create(null) as PromptValues;
  const each = [
    ...assignments.map((a) => ({ a, option: 'var' as const })),
    ...jsonAssignments.map((a) => ({ a, option: 'var-json' as const })),
  ];
  for (const { a: assignment, option } of each) {
    const eq = assignment.indexOf('=');
    const name = eq < 0 ? '' : assignment.slice(0, eq).trim();
    const path = name.split('.');
    if (!name || path.some((key) => !/^[A-Za-z_][\w-]*$/.test(key))) {
      throw new VariableAssignmentError(
        option,
        `expected ${option === 'var' ? 'name=value' : 'name=JSON'}, got ${JSON.stringify(assignment)}`,
      );
    }
    const text = assignment.slice(eq + 1);
    let value: unknown = text;
    if (option === 'var-json') {
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new VariableAssignmentError(option, `${name}: not valid JSON (${(e as Error).message}): ${text}`);
      }
    }
    let at: Record<string, unknown> = values;
    for (const key of path.slice(0, -1)) {
      const next = Object.hasOwn(at, key) ? at[key] : undefined;
      if (next !== undefined && (typeof next !== 'object' || next === null || Array.isArray(next)))
        throw new VariableAssignmentError(option, `${key} is given both as a value and as an object (${name})`);
      at = (at[key] ??= Object.create(null) as Record<string, unknown>) as Record<string, unknown>;
    }
    at[path[path.length - 1]] = value;
  }
  return values;
}
