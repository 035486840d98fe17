/**
 * How a list of values reaches a statement: `spelled`, one `?` per value (the text changes
 * with the list's length; SQLite prepares each text in process, cheaply), or `array`, one
 * array parameter (`= ANY(?)`, PostgreSQL: the text stays the same whatever the list, so
 * it can be prepared once per connection and its plan kept).
 */
export type ListStyle = 'spelled' | 'array';

/** A WHERE clause built from optional filters, with its `?` parameters in order. */
export class Where {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  constructor(readonly lists: ListStyle = 'spelled') {}

  /** `condition` with `value` as its one parameter; nothing when `value` is undefined. */
  add(condition: string, value: unknown): void {
    if (value === undefined) return;
    this.conditions.push(condition);
    this.params.push(value);
  }

  /** `column NOT IN (…)`; nothing when the list is empty or absent. */
  notIn(column: string, values: readonly unknown[] | undefined): void {
    if (!values?.length) return;
    if (this.lists === 'array') {
      this.conditions.push(`${column} <> ALL(?)`);
      this.params.push([...values]);
    } else {
      this.conditions.push(`${column} NOT IN (${values.map(() => '?').join(', ')})`);
      this.params.push(...values);
    }
  }

  toString(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}
