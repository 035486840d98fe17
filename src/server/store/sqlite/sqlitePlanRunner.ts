import Database from 'better-sqlite3';
import { runPlanSync, type Plan, type PlanRunner, type Query } from '../sqlPlan';
import { conflictForIndex } from '../uniqueConstraints';
import { StatementCache } from '../statementCache';

/** Per kind of statement (objects, arrays) and connection. */
const STATEMENTS_KEPT = 500;

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
  private readonly statements: StatementCache<Database.Statement>;
  private readonly arrayStatements: StatementCache<Database.Statement>;

  constructor(private readonly db: Database.Database) {
    this.statements = new StatementCache(STATEMENTS_KEPT, (sql) => db.prepare(sql));
    this.arrayStatements = new StatementCache(STATEMENTS_KEPT, (sql) => db.prepare(sql).raw(true));
  }

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

  /** Statements are compiled once per connection (while kept: StatementCache). */
  stmt(sql: string): Database.Statement {
    return this.statements.get(sql);
  }

  private readonly answer = (query: Query): unknown => {
    if (query.kind === 'lock') return undefined;
    const params = bindable(query.params);
    if (query.kind === 'run') return this.stmt(query.sql).run(...params).changes;
    if (query.arrays === undefined) return this.stmt(query.sql).all(...params);
    return this.arrayStatements.get(query.sql).all(...params);
  };
}
