import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresStore } from './postgres/postgresStore';
import { SqliteStore } from './sqlite/sqliteStore';
import type { Store } from './store';

export const SQLITE_FILE_NAME = 'promptops.sqlite';

export interface StoreLocation {
  /** A `postgres://` or `postgresql://` URL selects PostgreSQL; anything else, SQLite. */
  databaseUrl?: string;
  /** PostgreSQL schema (default `public`). */
  databaseSchema?: string;
  /** Where the SQLite file lives (created if missing). */
  dataDir: string;
}

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/** Opens the configured store and brings its schema up to date. */
export async function openStore(location: StoreLocation): Promise<Store> {
  if (isPostgresUrl(location.databaseUrl)) {
    return PostgresStore.open({ connectionString: location.databaseUrl, schema: location.databaseSchema });
  }
  // The file holds password hashes, session hashes and the signing key: owner only.
  // (SQLite's -wal and -shm files take the main file's permissions.)
  mkdirSync(location.dataDir, { recursive: true, mode: 0o700 });
  const file = join(location.dataDir, SQLITE_FILE_NAME);
  closeSync(openSync(file, 'a', 0o600));
  return SqliteStore.open({ file });
}
