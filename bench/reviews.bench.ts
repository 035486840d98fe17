/**
 * `npm run bench:reviews`: the three review lists the extension asks for, 200 per page
 * with approval progress, through the real route handler (fastify `inject` against the
 * server `startServer` builds), on 100,000 reviews, 10,000 users and 200 workspaces:
 * "needs my approval" (`needsMyApproval=true`), "my requests" (`author=<me>`) and one
 * workspace's open reviews. On SQLite, and on PostgreSQL when PROMPTOPS_TEST_DATABASE_URL
 * is set. Each list is walked page by page along `nextCursor`, round after round.
 *
 * Queries are counted at the driver (better-sqlite3 statement runs, pg `Client.query`
 * calls, transaction statements included), in this process only: every statement a
 * request makes, authentication and the access file's freshness check included. The
 * count must be the same for every page of every list.
 *
 * The data is written straight into the tables (not through the API: 100,000 audited
 * transactions would take minutes), then ANALYZEd (PostgreSQL: VACUUM ANALYZE, the state
 * autovacuum keeps a live database in).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { SQLITE_FILE_NAME } from '../src/server/store/openStore';
import { numberedPlaceholders } from '../src/server/store/sqlPlan';
import type { RunningServer } from '../src/server/startServer';
import { PG_URL, postgresBackend, sqliteBackend, type TestBackend } from '../test/support/serverBackends';
import { sessionFor, startTestServer, STATIC_TOKEN } from '../test/support/serverFixtures';
import { SOME_COMMIT } from '../test/support/reviewServer';

const N_REVIEWS = Number(process.env.BENCH_REVIEWS ?? 100_000);
const N_USERS = Number(process.env.BENCH_USERS ?? 10_000);
const N_WORKSPACES = Number(process.env.BENCH_WORKSPACES ?? 200);
/** Measured requests per list, after WARM_UP. */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARM_UP = 20;
/** BENCH_LISTS=1 (or 1,3): time only those lists (1 needs my approval, 2 my requests, 3 a workspace's open), e.g. under --cpu-prof. */
const ONLY_LISTS = process.env.BENCH_LISTS?.split(',').map(Number);
const PAGE = 200;
const ME = 'me';
const ENVS = ['dev', 'prod'];

/** Statements run at the driver since the last reset. */
let queries = 0;

function countQueries(): void {
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
  probe.close();
  for (const method of ['all', 'get', 'run', 'iterate']) {
    const original = statementProto[method] as (...args: unknown[]) => unknown;
    statementProto[method] = function (this: unknown, ...args: unknown[]) {
      queries++;
      return original.apply(this, args);
    };
  }
  const clientProto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = clientProto.query;
  clientProto.query = function (this: unknown, ...args: unknown[]) {
    queries++;
    return query.apply(this, args);
  };
}

/**
 * 200 workspaces `ws<i>` over `prompts/ws<i>/**`, envs dev and prod. Two approvals from
 * editors (never one's own); prod only from `reviewer`s, which `me` is in one
 * workspace of ten: `me` may approve dev everywhere and prod in 20 workspaces.
 */
function accessFile(): string {
  const lines = [
    'version: 1',
    `environments: [${ENVS.join(', ')}]`,
    'roles:',
    '  reviewer: { extends: viewer, allow: [review.approve] }',
    'approvals: { required: 2, from: [editor], selfApproval: false }',
    'workspaces:',
  ];
  for (let w = 0; w < N_WORKSPACES; w++) {
    lines.push(`  ws${w}:`, `    paths: ["prompts/ws${w}/**"]`);
    lines.push(
      w % 10 === 0 ? `    members: { ${ME}: reviewer, user${w}: reviewer }` : `    members: { user${w}: reviewer }`,
    );
    lines.push(
      '    environments:',
      '      prod:',
      '        approvals: { required: 1, from: [reviewer], selfApproval: false }',
    );
  }
  return lines.join('\n') + '\n';
}

/** Multi-row INSERTs, the same SQL on both dialects. */
interface Bulk {
  insert(table: string, columns: string[], rows: unknown[][]): Promise<void>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

function sqliteBulk(backend: TestBackend): Bulk {
  const db = new Database(join(backend.options.dataDir ?? '', SQLITE_FILE_NAME));
  return {
    insert: async (table, columns, rows) => {
      const insert = db.prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      db.transaction(() => rows.forEach((r) => insert.run(...r)))();
    },
    exec: async (sql) => void db.exec(sql),
    close: async () => void db.close(),
  };
}

async function postgresBackendBulk(backend: TestBackend): Promise<Bulk> {
  const client = new Client({
    connectionString: backend.options.databaseUrl,
    options: `-c search_path=${backend.options.databaseSchema ?? 'public'}`,
  });
  await client.connect();
  return {
    insert: async (table, columns, rows) => {
      const per = Math.floor(30_000 / columns.length);
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        const values = chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
        await client.query(
          numberedPlaceholders(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`),
          chunk.flat(),
        );
      }
    },
    exec: async (sql) => void (await client.query(sql)),
    close: () => client.end(),
  };
}

interface Seeded {
  meToken: string;
  workspace: string;
}

async function seed(server: RunningServer, backend: TestBackend): Promise<Seeded> {
  const apply = await server.inject({
    method: 'PUT',
    url: '/api/policy',
    headers: { authorization: `Bearer ${STATIC_TOKEN}` },
    payload: { content: accessFile(), commit: SOME_COMMIT },
  });
  if (apply.statusCode !== 200) throw new Error(`apply → ${apply.statusCode}: ${apply.body}`);

  const now = Date.now();
  const users = Array.from({ length: N_USERS }, (_, i) => ({ id: randomUUID(), username: i === 0 ? ME : `user${i}` }));
  for (let i = 0; i < users.length; i += 50) {
    await Promise.all(
      users.slice(i, i + 50).map((u, j) =>
        server.store.createUser({
          id: u.id,
          username: u.username,
          passwordHash: 'unused',
          role: (i + j) % 100 === 1 ? 'admin' : (i + j) % 3 === 2 ? 'viewer' : 'editor',
          emails: [],
          defaultPassword: false,
          now,
        }),
      ),
    );
  }
  const me = users[0];

  const bulk = backend.name === 'sqlite' ? sqliteBulk(backend) : await postgresBackendBulk(backend);
  try {
    const reviews: unknown[][] = [];
    const revisions: unknown[][] = [];
    const verdicts: unknown[][] = [];
    for (let i = 0; i < N_REVIEWS; i++) {
      const id = i + 1;
      const ws = `ws${i % N_WORKSPACES}`;
      const env = i % 7 < 5 ? 'dev' : 'prod';
      const author = i % 50 === 2 || i % 50 === 25 ? me : users[1 + ((i * 7919) % (N_USERS - 1))];
      const status = i % 10 < 3 ? 'open' : i % 10 < 9 ? 'published' : 'withdrawn';
      const path = `prompts/${ws}/p${i % 1000}.prompt`;
      const head = `${String(i).padStart(8, '0')}${'a'.repeat(56)}`;
      const at = now - (N_REVIEWS - i) * 1000;
      reviews.push([
        path,
        `p${i % 1000}`,
        ws,
        env,
        null,
        env,
        status,
        author.id,
        author.username,
        'bench',
        null,
        null,
        head,
        1,
        at,
        at,
      ]);
      revisions.push([
        id,
        1,
        head,
        `---\nmodel: gpt-4o\nenv: ${env}\n---\n<system>\n  Review ${i}.\n</system>\n`,
        'bench',
        author.username,
        at,
      ]);
      if (status !== 'open') continue;
      const approver = users[1 + ((i * 31) % (N_USERS - 1))];
      if (approver.id !== author.id)
        verdicts.push([id, 1, head, approver.id, approver.username, 'approve', '', at + 1]);
      // `me` has approved a third of the open reviews at their head already.
      if (i % 3 === 0 && author.id !== me.id) verdicts.push([id, 1, head, me.id, ME, 'approve', '', at + 2]);
    }
    await bulk.insert(
      'reviews',
      [
        'path',
        'name',
        'workspace',
        'env',
        'prompt_workspace',
        'prompt_env',
        'status',
        'author_id',
        'author',
        'note',
        'base_hash',
        'base_content',
        'head_hash',
        'revision',
        'created_at',
        'updated_at',
      ],
      reviews,
    );
    await bulk.insert(
      'review_revisions',
      ['review_id', 'number', 'head_hash', 'content', 'note', 'author', 'created_at'],
      revisions,
    );
    await bulk.insert(
      'review_verdicts',
      ['review_id', 'revision', 'head_hash', 'user_id', 'username', 'verdict', 'note', 'created_at'],
      verdicts,
    );
    // A live database's tables have long been vacuumed; right after a bulk load PostgreSQL's
    // autovacuum and first readers (setting hint bits) would work during the measured requests.
    await bulk.exec(backend.name === 'sqlite' ? 'ANALYZE' : 'VACUUM ANALYZE');
  } finally {
    await bulk.close();
  }
  return { meToken: await sessionFor(server, me.id), workspace: 'ws1' };
}

/** Garbage collections as [start, end] in performance.now() ms, to say what the slowest requests waited on. */
const collections: [number, number][] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) collections.push([e.startTime, e.startTime + e.duration]);
});

/** ms of garbage collection inside [start, end]. */
const gcWithin = (start: number, end: number): number =>
  collections.reduce((sum, [s, e]) => sum + Math.max(0, Math.min(e, end) - Math.max(s, start)), 0);

interface ListResult {
  name: string;
  p50: number;
  p99: number;
  /** The slowest 2% of requests: their mean time and how much of it was garbage collection. */
  slowest: { ms: number; gcMs: number };
  /** This process's CPU time per request (user + system), p50: what the request costs when the machine is busy. */
  cpuP50: number;
  /** Distinct per-request query counts seen. */
  queryCounts: number[];
  rowsFirstPage: number;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function timeList(server: RunningServer, token: string, name: string, query: string): Promise<ListResult> {
  const times: number[] = [];
  const cpu: number[] = [];
  const spans: [number, number][] = [];
  const counts = new Set<number>();
  let cursor: string | null = null;
  let rowsFirstPage = 0;
  for (let n = 0; n < WARM_UP + REQUESTS; n++) {
    const url: string = `/api/reviews?${query}&limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`;
    queries = 0;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const res = await server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const end = performance.now();
    const ms = end - start;
    const used = process.cpuUsage(cpuStart);
    if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode}: ${res.body}`);
    const body = res.json<{ reviews: { approval?: unknown }[]; nextCursor: string | null }>();
    if (cursor === null) rowsFirstPage = body.reviews.length;
    if (n >= WARM_UP) {
      times.push(ms);
      spans.push([start, end]);
      cpu.push((used.user + used.system) / 1000);
      counts.add(queries);
    }
    cursor = body.nextCursor;
  }
  // Observer entries arrive after the fact: let them in before attributing them.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const slow = spans.sort((a, b) => b[1] - b[0] - (a[1] - a[0])).slice(0, Math.max(1, Math.round(spans.length / 50)));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    slowest: { ms: mean(slow.map(([s, e]) => e - s)), gcMs: mean(slow.map(([s, e]) => gcWithin(s, e))) },
    name,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    cpuP50: percentile(cpu, 50),
    queryCounts: [...counts].sort((a, b) => a - b),
    rowsFirstPage,
  };
}

async function benchBackend(backend: TestBackend): Promise<{ p99: number; queryCounts: number[] }> {
  const server = await startTestServer(backend, { rateLimitPerMinute: 1e9 });
  try {
    const t0 = Date.now();
    const { meToken, workspace } = await seed(server, backend);
    console.log(
      `${backend.name}: seeded ${N_REVIEWS} reviews, ${N_USERS} users, ${N_WORKSPACES} workspaces in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const all: [string, string][] = [
      ['needs my approval', 'needsMyApproval=true'],
      ['my requests', `author=${ME}`],
      [`${workspace} open`, `workspace=${workspace}&status=open`],
    ];
    const lists: ListResult[] = [];
    for (const [name, query] of all.filter((_, i) => ONLY_LISTS === undefined || ONLY_LISTS.includes(i + 1)))
      lists.push(await timeList(server, meToken, name, query));
    for (const l of lists) {
      console.log(
        `${backend.name}: ${l.name.padEnd(18)} p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, CPU p50 ${l.cpuP50.toFixed(1)} ms, ` +
          `${l.rowsFirstPage} rows on page 1, queries per page ${l.queryCounts.join('/')}; ` +
          `slowest 2% ${l.slowest.ms.toFixed(1)} ms, ${l.slowest.gcMs.toFixed(1)} ms of it GC`,
      );
    }
    return {
      p99: Math.max(...lists.map((l) => l.p99)),
      queryCounts: [...new Set(lists.flatMap((l) => l.queryCounts))].sort((a, b) => a - b),
    };
  } finally {
    await server.close();
    await backend.cleanup();
  }
}

async function main(): Promise<void> {
  countQueries();
  gcObserver.observe({ entryTypes: ['gc'] });
  const sqlite = await benchBackend(sqliteBackend());
  let postgres: { p99: number; queryCounts: number[] } | undefined;
  if (PG_URL) postgres = await benchBackend(postgresBackend(PG_URL));
  else console.log('reviews (postgres): skipped: no PROMPTOPS_TEST_DATABASE_URL');
  const counts = [...new Set([...sqlite.queryCounts, ...(postgres?.queryCounts ?? [])])].sort((a, b) => a - b);
  // A page whose list comes back empty skips the verdict query: the bound is the most any page made.
  console.log(`queries per page seen: ${counts.join(', ')}`);
  console.log(
    `reviews: sqlite-p99 ${sqlite.p99.toFixed(1)}ms, postgres-p99 ${postgres ? `${postgres.p99.toFixed(1)}ms` : 'skipped'}, ` +
      `queries-per-page ${Math.max(...counts)}`,
  );
}

main()
  .finally(() => gcObserver.disconnect())
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
