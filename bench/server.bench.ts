/**
 * `npm run bench:server`: authenticated `GET /api/me` (a viewer's session token: one
 * indexed query per request, nothing cached) against `promptops serve` from dist/cli.js,
 * vs. a bare node:http server answering the same JSON without auth, in the same run, with
 * the same load generator (autocannon's programmatic API, loopback only). Both servers
 * run as their own processes, so the load generator does not share their event loop;
 * ours logs at its default level (info) to a drained pipe, as in production.
 * Also on PostgreSQL when PROMPTOPS_TEST_DATABASE_URL is set.
 *
 * Parity: both get byte-identical requests (the bare server ignores the Authorization
 * header it is sent), the same connections, keep-alive and no pipelining, the same
 * warm-up, and alternating rounds whose order flips every round, so drift in a shared
 * machine's load hits both sides alike. Throughput is requests completed over the
 * measured time. Each server's CPU time per request (user + system, from /proc) is
 * printed too: unlike req/s it barely depends on what else the machine is running.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PG_URL, postgresBackend } from '../test/support/serverBackends';
import { http } from '../test/support/serverHttp';
import { spawnServe, type ServeProcess } from '../test/support/serverProcess';

/** The part of autocannon's API we use (the package ships no types; @types/autocannon is not installed). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  /** Seconds actually measured. */
  duration: number;
  errors: number;
  non2xx: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  pipelining: number;
  duration: number;
  headers: Record<string, string>;
}) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

/** `BENCH_CLI` runs another build of the CLI (e.g. an older commit's, for before/after). */
const CLI = resolve(process.env.BENCH_CLI ?? resolve(__dirname, '../dist/cli.js'));
/** Measured seconds per side, split over the rounds. */
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARM_UP_S = 2;
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

interface Load {
  requests: number;
  seconds: number;
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** CPU time the server process used, ms (undefined where /proc is not there). */
  cpuMs: number | undefined;
}

/** User + system CPU time of a process so far, ms, from /proc (Linux); undefined elsewhere. */
function cpuMsOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100;

interface Target {
  url: string;
  pid: number | undefined;
}

/** One round against one server: the same requests, connections and (no) pipelining for both. */
async function load(target: Target, headers: Record<string, string>, seconds: number): Promise<Load> {
  const before = cpuMsOf(target.pid);
  const result = await autocannon({ url: target.url, connections: CONNECTIONS, pipelining: 1, duration: seconds, headers });
  const after = cpuMsOf(target.pid);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    cpuMs: before === undefined || after === undefined ? undefined : after - before,
  };
}

/** Throughput over all rounds (requests / time); the worst round's p99. */
function combine(rounds: Load[]): Load {
  const sum = (pick: (r: Load) => number): number => rounds.reduce((total, r) => total + pick(r), 0);
  const requests = sum((r) => r.requests);
  const seconds = sum((r) => r.seconds);
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p99: Math.max(...rounds.map((r) => r.p99)),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    cpuMs: rounds.every((r) => r.cpuMs !== undefined) ? sum((r) => r.cpuMs ?? 0) : undefined,
  };
}

/** µs of server CPU per request, or '?' without /proc. */
function cpuPerRequest(r: Load): string {
  return r.cpuMs === undefined ? '?' : ((r.cpuMs * 1000) / r.requests).toFixed(1);
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

async function startBare(body: string): Promise<Target & { stop(): void }> {
  const child = spawn(process.execPath, ['-e', BARE_SERVER], { env: { ...process.env, BENCH_BODY: body }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((res) => child.stdout.once('data', (d: Buffer) => res(d.toString().trim())));
  return { url: `http://127.0.0.1:${port}/api/me`, pid: child.pid, stop: () => child.kill('SIGTERM') };
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
      // Byte-identical requests to both; the bare server never looks at the header.
      const auth = { authorization: `Bearer ${token}` };
      const oursTarget: Target = { url: `${server.url}/api/me`, pid: server.child.pid };
      await load(oursTarget, auth, WARM_UP_S); // warm-up (JIT, statement cache, pool)
      await load(bare, auth, WARM_UP_S);
      // Alternate rounds, flipping which side goes first, so drift in a shared machine's
      // load hits both sides alike.
      const oursRounds: Load[] = [];
      const bareRounds: Load[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const seconds = DURATION_S / ROUNDS;
        if (round % 2 === 0) {
          oursRounds.push(await load(oursTarget, auth, seconds));
          bareRounds.push(await load(bare, auth, seconds));
        } else {
          bareRounds.push(await load(bare, auth, seconds));
          oursRounds.push(await load(oursTarget, auth, seconds));
        }
        const [o, b] = [oursRounds[round], bareRounds[round]];
        console.log(
          `  ${label} round ${round + 1}: ours ${Math.round(o.rps)} req/s (${cpuPerRequest(o)} µs CPU/req), ` +
            `bare ${Math.round(b.rps)} req/s (${cpuPerRequest(b)} µs CPU/req), ratio ${(o.rps / b.rps).toFixed(2)}`,
        );
      }
      const ours = combine(oursRounds);
      const bareResult = combine(bareRounds);
      console.log(`  ${label}: server CPU per request: ours ${cpuPerRequest(ours)} µs, bare ${cpuPerRequest(bareResult)} µs`);
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
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node esbuild.mjs\` first (npm run bench:server does)`);
  console.log(
    `GET /api/me, ${CONNECTIONS} connections, no pipelining, ${WARM_UP_S} s warm-up, then ${DURATION_S} s each in ${ROUNDS} alternating rounds, loopback`,
  );

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
