import { Pool, types, type PoolConfig } from 'pg';
import { assertOrdered, type Migration } from '../migration';
import type { Store } from '../store';
import { SqlStore } from '../sqlStore';
import { PostgresPlanRunner } from './postgresPlanRunner';
import { POSTGRES_MIGRATIONS } from './postgresMigrations';
import { withTransaction } from './postgresTransaction';

const INT8_OID = 20;

/** A schema name we can safely splice into SQL and the connection's search_path. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresStoreOptions {
  connectionString: string;
  /** All tables live in this schema (created if missing); tests use a fresh one each run. */
  schema?: string;
  poolSize?: number;
}

/**
 * The shared store for several server processes: a pooled PostgreSQL connection. Every
 * connection's search_path is the configured schema. Invariants that span rows (the last
 * admin, migrations) take a transaction-scoped advisory lock, so they hold across processes.
 */
export class PostgresStore extends SqlStore implements Store {
  readonly dialect = 'postgres' as const;

  private constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {
    super(new PostgresPlanRunner(pool));
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${schema}`);
    const config: PoolConfig = {
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      options: `-c search_path=${schema}`,
      // Times are BIGINT epoch ms; they fit a JS number, so parse them as numbers.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID
            ? (value: string) => Number(value)
            : (types.getTypeParser(oid, format) as (value: string) => unknown)) as typeof types.getTypeParser,
      },
    };
    const pool = new Pool(config);
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    try {
      await migrate(pool, schema, POSTGRES_MIGRATIONS);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresStore(pool, schema);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * Applies missing migrations in one transaction holding an advisory lock, so processes
 * starting together apply each migration exactly once (PostgreSQL DDL is transactional).
 */
async function migrate(pool: Pool, schema: string, migrations: readonly Migration[]): Promise<void> {
  assertOrdered(migrations);
  await withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`promptops.migrate.${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        Date.now(),
      ]);
    }
  });
}
