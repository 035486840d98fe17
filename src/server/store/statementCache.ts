/**
 * Prepared statements by SQL text (or what else a driver makes of a text once: PostgreSQL's
 * numbered placeholders), at most `capacity` of them. List queries spell their
 * filters into the text (the IN lists of a caller's workspaces, of a page's review ids), so
 * the distinct texts grow with users and pages, and a server that kept every one would grow
 * without end. Past the capacity the cache starts over: a statement is prepared again (a
 * few µs) at most once per `capacity` new texts, and a hit costs one Map lookup.
 */
export class StatementCache<S> {
  private readonly entries = new Map<string, S>();

  constructor(
    private readonly capacity: number,
    private readonly prepare: (sql: string) => S,
  ) {}

  get(sql: string): S {
    let statement = this.entries.get(sql);
    if (statement === undefined) {
      if (this.entries.size >= this.capacity) this.entries.clear();
      statement = this.prepare(sql);
      this.entries.set(sql, statement);
    }
    return statement;
  }

  /** Statements held now (never more than the capacity). */
  get size(): number {
    return this.entries.size;
  }
}
