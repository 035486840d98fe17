import Database from 'better-sqlite3';
import { runPlanSync, type Plan, type PlanRunner, type Query } from '../sqlPlan';
import { conflictForIndex } from '../uniqueConstraints';

/** better-sqlite3 binds no booleans; SQLite stores them as 0 and 1. Copies only when needed (hot path). */
function bindable(params: readonly unknown[]): readonly unknown[] {
  return params.some((p) => typeof p === 'boolean')
    ? params.map((p) => (typeof p === 'boolean' ? Number(p) : p))
    : params;
}

/** Maps a unique-constraint failure to ConflictError; rethrows anything else. */
export function rethrowSqliteConflict(err: unknown): never {
  if (err instanceof Database.SqliteError && err.code.startsWith('SQLITE_CONSTRAINT')) {
    throw conflictForIndex(err.message) ?? err;
  }
  throw err;
}

/**
 * Runs plans on one better-sqlite3 connection. It is synchronous, so a transaction's plan
 * runs start to end inside BEGIN IMMEDIATE without yielding: no other request (and, by
 * the write lock, no other process) acts in between, and locks (and row locks) need no statement.
 */
export class SqlitePlanRunner implements PlanRunner {
  readonly roundTrips = false;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly arrayStatements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  async run<T>(plan: Plan<T>): Promise<T> {
    return runPlanSync(plan, this.answer);
  }

  async transaction<T>(plan: Plan<T>): Promise<T> {
    try {
      return this.db.transaction(() => runPlanSync(plan, this.answer)).immediate();
    } catch (err) {
      rethrowSqliteConflict(err);
    }
  }

  /** A deferred (read) transaction: one snapshot in WAL mode. */
  async snapshot<T>(plan: Plan<T>): Promise<T> {
    return this.db.transaction(() => runPlanSync(plan, this.answer))();
  }

  /** Statements are compiled once per connection. */
  stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private readonly answer = (query: Query): unknown => {
    if (query.kind === 'lock') return undefined;
    const params = bindable(query.params);
    if (query.kind === 'run') return this.stmt(query.sql).run(...params).changes;
    if (query.arrays === undefined) return this.stmt(query.sql).all(...params);
    let statement = this.arrayStatements.get(query.sql);
    if (!statement) {
      statement = this.db.prepare(query.sql).raw(true);
      this.arrayStatements.set(query.sql, statement);
    }
    return statement.all(...params);
  };
}
