/**
 * `npm run bench:server`: authenticated `GET /api/me` (a viewer's session token: one
 * indexed query per request, nothing cached) against `promptops serve` from dist/cli.js,
 * vs. a bare node:http server answering the same JSON without auth, in the same run, with
 * the same load generator (autocannon's programmatic API, loopback only). Both servers
 * run as their own processes, so the load generator does not share their event loop;
 * ours logs at its default level (info) to a drained pipe, as in production.
 * Also on PostgreSQL when PROMPTOPS_TEST_DATABASE_URL is set.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PG_URL, postgresBackend } from '../test/support/serverBackends';
import { http } from '../test/support/serverHttp';
import { spawnServe, type ServeProcess } from '../test/support/serverProcess';

/** The part of autocannon's API we use (the package ships no types; @types/autocannon is not installed). */
interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number };
  errors: number;
  non2xx: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
}) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const CLI = resolve(__dirname, '../dist/cli.js');
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = 5;
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

interface Load {
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, headers: Record<string, string>, seconds = DURATION_S): Promise<Load> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

/** Mean throughput over the rounds; the worst round's p99. */
function combine(rounds: Load[]): Load {
  return {
    rps: rounds.reduce((sum, r) => sum + r.rps, 0) / rounds.length,
    p99: Math.max(...rounds.map((r) => r.p99)),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
  };
}

/** The same JSON body, no auth, no framework: the ceiling we compare against. */
const BARE_SERVER = `
const http = require('node:http');
const body = process.env.BENCH_BODY;
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(0, '127.0.0.1', function () { process.stdout.write(String(this.address().port) + '\\n'); });
`;

async function startBare(body: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['-e', BARE_SERVER], { env: { ...process.env, BENCH_BODY: body }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((res) => child.stdout.once('data', (d: Buffer) => res(d.toString().trim())));
  return { url: `http://127.0.0.1:${port}/api/me`, stop: () => child.kill('SIGTERM') };
}

/** A viewer signed in through the API; returns its token and the /api/me body. */
async function viewerSession(server: ServeProcess): Promise<{ token: string; body: string }> {
  const created = await http(server.url, {
    method: 'POST',
    path: '/api/users',
    token: ADMIN_TOKEN,
    body: { username: 'bench-viewer', password: 'bench viewer password', role: 'viewer' },
  });
  if (created.status !== 201) throw new Error(`could not create the bench user: ${created.text}`);
  const login = await http(server.url, { method: 'POST', path: '/api/login', body: { username: 'bench-viewer', password: 'bench viewer password' } });
  const token = (login.json as { token: string }).token;
  const me = await http(server.url, { method: 'GET', path: '/api/me', token });
  return { token, body: me.text };
}

async function stop(server: ServeProcess): Promise<void> {
  server.child.kill('SIGTERM');
  await server.exited;
}

async function measure(label: string, env: Record<string, string>, args: string[]): Promise<{ ours: Load; bare: Load }> {
  const server = await spawnServe(args, { PROMPTOPS_TOKEN: ADMIN_TOKEN, PROMPTOPS_LOG_LEVEL: 'info', ...env }, CLI);
  try {
    const { token, body } = await viewerSession(server);
    const bare = await startBare(body);
    try {
      const auth = { authorization: `Bearer ${token}` };
      await load(`${server.url}/api/me`, auth, 1); // warm-up (JIT, statement cache, pool)
      await load(bare.url, {}, 1);
      // Alternate short rounds so drift in a shared machine's load hits both sides alike.
      const oursRounds: Load[] = [];
      const bareRounds: Load[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        oursRounds.push(await load(`${server.url}/api/me`, auth, DURATION_S / ROUNDS));
        bareRounds.push(await load(bare.url, {}, DURATION_S / ROUNDS));
      }
      const ours = combine(oursRounds);
      const bareResult = combine(bareRounds);
      if (ours.errors || ours.non2xx) throw new Error(`${label}: ${ours.errors} errors, ${ours.non2xx} non-2xx responses`);
      return { ours, bare: bareResult };
    } finally {
      bare.stop();
    }
  } finally {
    await stop(server);
  }
}

const line = (label: string, r: { ours: Load; bare: Load }): string =>
  `${label}: ours ${Math.round(r.ours.rps)} req/s p99 ${r.ours.p99}ms, bare node:http ${Math.round(r.bare.rps)} req/s, ratio ${(r.ours.rps / r.bare.rps).toFixed(2)}`;

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `node esbuild.mjs` first (npm run bench:server does)');
  console.log(`GET /api/me, ${CONNECTIONS} connections, ${DURATION_S} s each in ${ROUNDS} alternating rounds, loopback`);

  let postgres: { ours: Load; bare: Load } | undefined;
  if (PG_URL) {
    const backend = postgresBackend(PG_URL);
    try {
      postgres = await measure('postgres', {
        PROMPTOPS_DATABASE_URL: backend.options.databaseUrl ?? '',
        PROMPTOPS_DATABASE_SCHEMA: backend.options.databaseSchema ?? '',
      }, []);
    } finally {
      await backend.cleanup();
    }
    console.log(line('server (postgres)', postgres));
  } else {
    console.log('server (postgres): skipped: no PROMPTOPS_TEST_DATABASE_URL');
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'promptops-bench-'));
  try {
    const sqlite = await measure('sqlite', {}, ['--data-dir', dataDir]);
    // Last line, as CI reads it: the embedded default (SQLite).
    console.log(line('server', sqlite));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
