import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { assertOrdered, type Migration } from '../migration';
import type { Store } from '../store';
import { SqlStore } from '../sqlStore';
import { SqlitePlanRunner } from './sqlitePlanRunner';
import { SQLITE_MIGRATIONS } from './sqliteMigrations';

export interface SqliteStoreOptions {
  /** Path of the database file (created if missing). */
  file: string;
  /** How long to wait for another process's write lock, ms. */
  busyTimeoutMs?: number;
}

/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a write
 * is on disk before the request that made it is answered. better-sqlite3 is synchronous,
 * so each method runs to completion (one transaction where it matters) without
 * interleaving with other requests; BEGIN IMMEDIATE serialises writers across processes.
 */
export class SqliteStore extends SqlStore implements Store {
  readonly dialect = 'sqlite' as const;

  private constructor(
    private readonly db: Database.Database,
    private readonly sqlite: SqlitePlanRunner,
  ) {
    super(sqlite);
  }

  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    const db = new Database(options.file, { timeout: busyTimeoutMs });
    try {
      await useWal(db, busyTimeoutMs);
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db, SQLITE_MIGRATIONS);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteStore(db, new SqlitePlanRunner(db));
  }

  async ping(): Promise<void> {
    this.sqlite.stmt('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/**
 * Switching to WAL needs a lock SQLite does not wait for (the busy timeout does not apply):
 * a process opening the file while another creates or migrates it is told "database is
 * locked" at once. So it tries again, until the busy timeout, as any other lock would wait.
 */
async function useWal(db: Database.Database, busyTimeoutMs: number): Promise<void> {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      const busy = err instanceof Database.SqliteError && err.code === 'SQLITE_BUSY';
      if (!busy || Date.now() >= deadline) throw err;
      await delay(WAL_RETRY_MS);
    }
  }
}

const WAL_RETRY_MS = 10;

/**
 * Applies missing migrations under BEGIN IMMEDIATE: the write lock makes a second
 * process wait (busy timeout) and then find nothing left to do.
 */
function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  assertOrdered(migrations);
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
    const applied = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
    );
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      );
    }
  }).immediate();
}
