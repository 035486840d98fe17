import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { numberedPlaceholders, runPlan, type Plan, type PlanRunner, type Query } from '../sqlPlan';
import { StatementCache } from '../statementCache';
import { conflictForIndex } from '../uniqueConstraints';
import { withTransaction } from './postgresTransaction';

/** Maps a unique-constraint failure to ConflictError; rethrows anything else. */
export function rethrowPostgresConflict(err: unknown): never {
  const pgError = err as { code?: string; constraint?: string };
  if (pgError.code === '23505') throw conflictForIndex(pgError.constraint) ?? err;
  throw err;
}

/**
 * Runs plans on the pool: statement by statement on any connection, or a transaction's
 * on one connection between BEGIN and COMMIT, where a lock is a transaction-scoped
 * advisory lock (per schema), so it holds across processes.
 */
export class PostgresPlanRunner implements PlanRunner {
  readonly roundTrips = true;
  /** `?` → `$n` (the row lock appended), once per statement text while kept: list texts vary with their filters. */
  private readonly numbered = new StatementCache(500, numberedPlaceholders);
  /**
   * A name per fixed statement text (Query's `fixedText`). The texts are few, so what each
   * connection keeps prepared stays small; the bound is for safety, not expected to be hit.
   */
  private readonly names = new StatementCache(
    500,
    (text) => `promptops_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`,
  );

  constructor(private readonly pool: Pool) {}

  run<T>(plan: Plan<T>): Promise<T> {
    return runPlan(plan, (query) => this.answer(this.pool, query));
  }

  transaction<T>(plan: Plan<T>): Promise<T> {
    return withTransaction(this.pool, (client) => runPlan(plan, (query) => this.answer(client, query))).catch(
      rethrowPostgresConflict,
    );
  }

  /** REPEATABLE READ: one snapshot for every statement. */
  snapshot<T>(plan: Plan<T>): Promise<T> {
    return withTransaction(this.pool, async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return runPlan(plan, (query) => this.answer(client, query));
    });
  }

  private async answer(db: Pool | PoolClient, query: Query): Promise<unknown> {
    if (query.kind === 'lock') {
      await db.query('SELECT pg_advisory_xact_lock(hashtext(current_schema() || $1))', [`.promptops.${query.name}`]);
      return undefined;
    }
    const sql = query.kind === 'rows' && query.rowLock ? `${query.sql} ${query.rowLock}` : query.sql;
    const text = this.numbered.get(sql);
    const values = query.params as unknown[];
    if (query.kind === 'run') return (await db.query(text, values)).rowCount ?? 0;
    if (query.arrays === undefined) return (await db.query(text, values)).rows;
    const name = query.arrays !== true ? query.arrays : query.fixedText ? this.names.get(text) : undefined;
    return (await db.query({ name, text, values, rowMode: 'array' })).rows;
  }
}
