/**
 * A store method written once for both dialects: a generator that yields the statements
 * it needs (SQL with `?` placeholders) and receives each result.
 * The dialect runs it: SQLite synchronously inside one BEGIN IMMEDIATE transaction (no
 * other request can act in between), PostgreSQL with awaits on one pooled connection
 * between BEGIN and COMMIT. Reads and writes, row mapping and decisions live in the
 * plan; only placeholders, value binding, locks and transactions live in the dialect.
 */
export type Query =
  | {
      kind: 'rows';
      sql: string;
      params: readonly unknown[];
      /**
       * Rows as arrays of column values; a name also has PostgreSQL prepare the statement
       * once per connection (only for a statement whose text never changes).
       */
      arrays?: true | string;
      /**
       * The text is one of a few whatever the values (no list spelled into it): PostgreSQL
       * prepares it once per connection under a name derived from the text, so it is not
       * parsed and planned again on every call.
       */
      fixedText?: true;
      /**
       * PostgreSQL only: a row-locking clause (`FOR UPDATE`, `FOR UPDATE OF rel`) appended to
       * `sql`, held until the transaction ends. SQLite's write transaction already excludes
       * every other writer, so it leaves the clause off.
       */
      rowLock?: string;
    }
  | { kind: 'run'; sql: string; params: readonly unknown[] }
  /** Serialises plans taking the same lock until the transaction ends (SQLite's write transaction already does). */
  | { kind: 'lock'; name: string };

export type Plan<T> = Generator<Query, T, unknown>;

/** The dialect's side. */
export interface PlanRunner {
  /** Each statement on its own (one statement is atomic by itself). */
  run<T>(plan: Plan<T>): Promise<T>;
  /** All statements in one write transaction; a unique-constraint failure becomes ConflictError. */
  transaction<T>(plan: Plan<T>): Promise<T>;
  /** All statements read one snapshot (a read-only transaction), so what they read agrees. */
  snapshot<T>(plan: Plan<T>): Promise<T>;
  /**
   * Whether each statement costs a round trip to a database server (PostgreSQL) or runs in
   * this process (SQLite): a store method may read in one joined statement or in several
   * cheaper ones accordingly, both plans written once for either dialect.
   */
  readonly roundTrips: boolean;
}

export function* selectRows<R>(sql: string, ...params: unknown[]): Plan<R[]> {
  return (yield { kind: 'rows', sql, params }) as R[];
}

export function* selectRow<R>(sql: string, ...params: unknown[]): Plan<R | undefined> {
  return (yield* selectRows<R>(sql, ...params))[0];
}

/**
 * As `selectRows` for a statement selecting exactly `columns`, in order: the driver builds
 * arrays, named here. For wide rows that is about half better-sqlite3's CPU of building
 * the objects itself (bench/RESULTS.md, bench:reviews).
 */
export function* selectNamedColumns<R>(
  columns: readonly (keyof R & string)[],
  sql: string,
  ...params: unknown[]
): Plan<R[]> {
  return yield* namedColumns<R>(columns, { kind: 'rows', sql, params, arrays: true });
}

/** As `selectNamedColumns` for a statement whose text is one of a few (see `fixedText`). */
export function* selectNamedColumnsFixed<R>(
  columns: readonly (keyof R & string)[],
  sql: string,
  params: readonly unknown[],
): Plan<R[]> {
  return yield* namedColumns<R>(columns, { kind: 'rows', sql, params, arrays: true, fixedText: true });
}

function* namedColumns<R>(columns: readonly (keyof R & string)[], query: Query): Plan<R[]> {
  const arrays = (yield query) as unknown[][];
  const rows = new Array<R>(arrays.length);
  for (let r = 0; r < arrays.length; r++) {
    const values = arrays[r];
    // Every row gets its keys in one order, so they share one object shape.
    const row: Record<string, unknown> = {};
    for (let c = 0; c < columns.length; c++) row[columns[c]] = values[c];
    rows[r] = row as R;
  }
  return rows;
}

/** As `selectRows`, the rows locked until the transaction ends (`rowLock`: see Query). */
export function* selectRowsLocked<R>(sql: string, rowLock: string, ...params: unknown[]): Plan<R[]> {
  return (yield { kind: 'rows', sql, params, rowLock }) as R[];
}

/** Runs a write; returns how many rows it changed. */
export function* execute(sql: string, ...params: unknown[]): Plan<number> {
  return (yield { kind: 'run', sql, params }) as number;
}

export function* lock(name: string): Plan<void> {
  yield { kind: 'lock', name };
}

/** Runs a plan with a synchronous `answer` for each query (SQLite). */
export function runPlanSync<T>(plan: Plan<T>, answer: (query: Query) => unknown): T {
  let step = plan.next();
  while (!step.done) step = plan.next(answer(step.value));
  return step.value;
}

/** Runs a plan with an asynchronous `answer` for each query (PostgreSQL). */
export async function runPlan<T>(plan: Plan<T>, answer: (query: Query) => Promise<unknown>): Promise<T> {
  let step = plan.next();
  while (!step.done) step = plan.next(await answer(step.value));
  return step.value;
}

/** `?` → `$1, $2, …` for PostgreSQL. No statement of a plan has a literal `?`. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
