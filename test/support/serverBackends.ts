import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { SQLITE_FILE_NAME } from '../../src/server/store/openStore';
import type { ServerOptions } from '../../src/server/serverOptions';

/** Where a test server keeps its data: a fresh SQLite dir or a fresh PostgreSQL schema. */
export interface TestBackend {
  name: 'sqlite' | 'postgres';
  options: Pick<ServerOptions, 'dataDir' | 'databaseUrl' | 'databaseSchema'>;
  /** Removes the temp dir / drops the schema. */
  cleanup(): Promise<void>;
}

export const PG_URL: string | undefined = process.env.PROMPTOPS_TEST_DATABASE_URL || undefined;
export const PG_SKIP_MESSAGE = 'skipped: no PROMPTOPS_TEST_DATABASE_URL';

let warnedSkip = false;

/** Says once, loudly, that the PostgreSQL half is not running. */
export function announcePgSkip(): void {
  if (warnedSkip) return;
  warnedSkip = true;
  process.stdout.write(`\n  PostgreSQL server tests ${PG_SKIP_MESSAGE}\n\n`);
}

export function tempDir(prefix = 'promptops-server-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function sqliteBackend(): TestBackend {
  const dataDir = tempDir();
  return {
    name: 'sqlite',
    options: { dataDir },
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Its own schema per run, so runs never see each other's rows; dropped afterwards. */
export function postgresBackend(url: string): TestBackend {
  const schema = `promptops_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    name: 'postgres',
    options: { databaseUrl: url, databaseSchema: schema },
    cleanup: async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Declares `describe(<title> on sqlite)` and `describe(<title> on postgres)`; the latter
 * is pending (this.skip) with a clear message when PROMPTOPS_TEST_DATABASE_URL is unset.
 */
export function describeEachBackend(title: string, body: (makeBackend: () => TestBackend) => void): void {
  describe(`${title} on sqlite`, () => body(sqliteBackend));
  describe(`${title} on postgres`, function () {
    if (!PG_URL) {
      before(function () {
        announcePgSkip();
        this.skip();
      });
      it(PG_SKIP_MESSAGE, function () {
        this.skip();
      });
      return;
    }
    const url = PG_URL;
    body(() => postgresBackend(url));
  });
}

/**
 * Runs SQL straight against the backend's database (not through the server), for checks;
 * `write` for a statement that changes rows (as another program with access to the database could).
 */
export async function queryDatabase<T>(backend: TestBackend, sql: string, write = false): Promise<T[]> {
  if (backend.name === 'sqlite') {
    const db = new Database(join(backend.options.dataDir ?? '', SQLITE_FILE_NAME), { readonly: !write });
    try {
      const statement = db.prepare(sql);
      return (statement.reader ? statement.all() : (statement.run(), [])) as T[];
    } finally {
      db.close();
    }
  }
  const client = new Client({
    connectionString: backend.options.databaseUrl,
    options: `-c search_path=${backend.options.databaseSchema ?? 'public'}`,
  });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}
