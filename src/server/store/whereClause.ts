/** A WHERE clause built from optional filters, with its `?` parameters in order. */
export class Where {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  /** `condition` with `value` as its one parameter; nothing when `value` is undefined. */
  add(condition: string, value: unknown): void {
    if (value === undefined) return;
    this.conditions.push(condition);
    this.params.push(value);
  }

  /** `column NOT IN (…)`; nothing when the list is empty or absent. */
  notIn(column: string, values: readonly unknown[] | undefined): void {
    if (!values?.length) return;
    this.conditions.push(`${column} NOT IN (${values.map(() => '?').join(', ')})`);
    this.params.push(...values);
  }

  toString(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}
