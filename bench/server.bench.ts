/**
 * `npm run bench:server`: authenticated `GET /api/me` (a viewer's session token: one read
 * of the auth generation per request, the identity kept while that stands still) against
 * `promptops serve` from dist/cli.js, vs. a bare node:http server answering the same JSON
 * without auth, in the same run, with the same load generator, loopback only. Both servers run as their own processes; ours
 * logs at its default level (info) to a drained pipe, as in production.
 * Also on PostgreSQL when PROMPTOPS_TEST_DATABASE_URL is set.
 *
 * Load generator: wrk when it is on PATH (`apt-get install wrk`), one thread: written in
 * C, it spends ~1 µs of user CPU per request (~10 µs with the kernel's socket work, which
 * every generator pays) where autocannon (node) spends ~17, so it keeps up with the bare
 * baseline. Without wrk, autocannon's programmatic API, and a printed line says so and
 * how to get wrk. `BENCH_LOAD_GENERATOR=autocannon` forces autocannon.
 * With taskset and 2+ CPUs the generator runs on CPU 0 and both servers on CPU 1 (see
 * choosePlacement; `BENCH_PIN=0` lets them float).
 *
 * Parity: both get byte-identical requests (the bare server ignores the Authorization
 * header it is sent) from the same generator, the same connections, keep-alive and no
 * pipelining, the same CPU, the same warm-up, and alternating rounds whose order flips
 * every round, so drift in a shared machine's load hits both sides alike. Throughput is
 * requests completed over the measured time; p99 is the worst round's. Each server's CPU
 * time per request (user + system, all threads, from /proc) is printed too: it moves
 * less than req/s with whatever else the machine is running.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
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

/** What one round of a load generator measured. */
interface Generated {
  requests: number;
  /** Seconds actually measured. */
  seconds: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/**
 * A load generator: one round of `seconds` against `url` with CONNECTIONS keep-alive
 * connections, no pipelining, and `headers` on every request.
 */
interface LoadGenerator {
  name: string;
  run(url: string, headers: Record<string, string>, seconds: number): Promise<Generated>;
}

/** Printed by wrk's `done` hook (the Lua script below) on one line after this marker. */
const WRK_RESULT = 'promptops-bench-result ';
/**
 * wrk's only script: `done` prints the summary as JSON (durations in µs), so nothing is
 * scraped from wrk's human-readable report. No `request`/`response` hooks: wrk sends its
 * one pre-built request and does not hand responses to Lua, its fastest path.
 */
const WRK_SCRIPT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('${WRK_RESULT}{"requests":%d,"durationUs":%.0f,"p99Us":%.1f,"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d}\\n',
    summary.requests, summary.duration, latency:percentile(99.0), e.connect, e.read, e.write, e.timeout, e.status))
end
`;

/**
 * Where the processes run. With taskset and at least two CPUs, the load generator is
 * pinned to CPU 0 and each server (every thread) to CPU 1, the same for both servers,
 * so the scheduler never puts the generator and the server under test on one core
 * (which on a 2-core machine can halve a round's throughput, on either side).
 * `BENCH_PIN=0` lets them float.
 */
interface Placement {
  generatorCpu: number;
  serverCpu: number;
}

function choosePlacement(): Placement | undefined {
  if (process.env.BENCH_PIN === '0') return undefined;
  if (availableParallelism() < 2) return undefined;
  if (spawnSync('taskset', ['--version'], { stdio: 'ignore' }).error !== undefined) return undefined;
  return { generatorCpu: 0, serverCpu: 1 };
}

/** Pins every thread of a running process to one CPU (threads it starts later inherit it). */
function pin(pid: number | undefined, cpu: number): void {
  if (pid === undefined) throw new Error('cannot pin a process without a pid');
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`taskset -a -p -c ${cpu} ${pid} failed: ${result.stderr}`);
}

/** Whether `wrk` runs from PATH. */
function wrkAvailable(): boolean {
  const probe = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
  return probe.error === undefined;
}

/**
 * wrk, 1 thread (one event loop, like autocannon and like each server, so it takes at
 * most one of the machine's cores), CONNECTIONS connections, the header with `-H`.
 * wrk takes whole seconds; the measured time is what it reports.
 */
function wrkGenerator(scriptDir: string, placement: Placement | undefined): LoadGenerator {
  const script = join(scriptDir, 'report.lua');
  writeFileSync(script, WRK_SCRIPT);
  return {
    name: 'wrk',
    async run(url, headers, seconds) {
      const args = ['-t1', `-c${CONNECTIONS}`, `-d${Math.max(1, Math.round(seconds))}s`, '--latency', '-s', script];
      for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
      args.push(url);
      const [command, commandArgs] =
        placement === undefined ? ['wrk', args] : ['taskset', ['-c', String(placement.generatorCpu), 'wrk', ...args]];
      const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      const code = await new Promise<number | null>((res, rej) => {
        child.once('error', rej);
        child.once('close', res); // after its output has been read
      });
      const line = out.split('\n').find((l) => l.startsWith(WRK_RESULT));
      if (code !== 0 || line === undefined) throw new Error(`wrk ${args.join(' ')} exited with ${code}:\n${out}`);
      const r = JSON.parse(line.slice(WRK_RESULT.length)) as Record<
        'requests' | 'durationUs' | 'p99Us' | 'connect' | 'read' | 'write' | 'timeout' | 'status',
        number
      >;
      return {
        requests: r.requests,
        seconds: r.durationUs / 1e6,
        p99Ms: r.p99Us / 1000,
        errors: r.connect + r.read + r.write + r.timeout,
        non2xx: r.status,
      };
    },
  };
}

/** autocannon's programmatic API in the bench process. */
const autocannonGenerator: LoadGenerator = {
  name: 'autocannon',
  async run(url, headers, seconds) {
    const result = await autocannon({ url, connections: CONNECTIONS, pipelining: 1, duration: seconds, headers });
    return {
      requests: result.requests.total,
      seconds: result.duration,
      p99Ms: result.latency.p99,
      errors: result.errors,
      non2xx: result.non2xx,
    };
  },
};

/** One round against one server: the same requests, connections and (no) pipelining for both. */
async function load(
  generator: LoadGenerator,
  target: Target,
  headers: Record<string, string>,
  seconds: number,
): Promise<Load> {
  const before = cpuMsOf(target.pid);
  const result = await generator.run(target.url, headers, seconds);
  const after = cpuMsOf(target.pid);
  return {
    requests: result.requests,
    seconds: result.seconds,
    rps: result.requests / result.seconds,
    p99: result.p99Ms,
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

/** autocannon reports whole ms, wrk µs: at most two decimals, no trailing zeros. */
const ms = (value: number): string => String(Math.round(value * 100) / 100);

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
  const child = spawn(process.execPath, ['-e', BARE_SERVER], {
    env: { ...process.env, BENCH_BODY: body },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
  const login = await http(server.url, {
    method: 'POST',
    path: '/api/login',
    body: { username: 'bench-viewer', password: 'bench viewer password' },
  });
  const token = (login.json as { token: string }).token;
  const me = await http(server.url, { method: 'GET', path: '/api/me', token });
  return { token, body: me.text };
}

async function stop(server: ServeProcess): Promise<void> {
  server.child.kill('SIGTERM');
  await server.exited;
}

async function measure(
  generator: LoadGenerator,
  placement: Placement | undefined,
  label: string,
  env: Record<string, string>,
  args: string[],
): Promise<{ ours: Load; bare: Load }> {
  const server = await spawnServe(args, { PROMPTOPS_TOKEN: ADMIN_TOKEN, PROMPTOPS_LOG_LEVEL: 'info', ...env }, CLI);
  try {
    const { token, body } = await viewerSession(server);
    const bare = await startBare(body);
    try {
      if (placement !== undefined) {
        pin(server.child.pid, placement.serverCpu);
        pin(bare.pid, placement.serverCpu);
      }
      // Byte-identical requests to both; the bare server never looks at the header.
      const auth = { authorization: `Bearer ${token}` };
      const oursTarget: Target = { url: `${server.url}/api/me`, pid: server.child.pid };
      await load(generator, oursTarget, auth, WARM_UP_S); // warm-up (JIT, statement cache, pool)
      await load(generator, bare, auth, WARM_UP_S);
      // Alternate rounds, flipping which side goes first, so drift in a shared machine's
      // load hits both sides alike.
      const oursRounds: Load[] = [];
      const bareRounds: Load[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const seconds = DURATION_S / ROUNDS;
        if (round % 2 === 0) {
          oursRounds.push(await load(generator, oursTarget, auth, seconds));
          bareRounds.push(await load(generator, bare, auth, seconds));
        } else {
          bareRounds.push(await load(generator, bare, auth, seconds));
          oursRounds.push(await load(generator, oursTarget, auth, seconds));
        }
        const [o, b] = [oursRounds[round], bareRounds[round]];
        console.log(
          `  ${label} round ${round + 1}: ours ${Math.round(o.rps)} req/s p99 ${ms(o.p99)}ms (${cpuPerRequest(o)} µs CPU/req), ` +
            `bare ${Math.round(b.rps)} req/s p99 ${ms(b.p99)}ms (${cpuPerRequest(b)} µs CPU/req), ratio ${(o.rps / b.rps).toFixed(2)}`,
        );
      }
      const ours = combine(oursRounds);
      const bareResult = combine(bareRounds);
      console.log(
        `  ${label}: server CPU per request: ours ${cpuPerRequest(ours)} µs, bare ${cpuPerRequest(bareResult)} µs`,
      );
      for (const [side, r] of [
        ['ours', ours],
        ['bare', bareResult],
      ] as const) {
        if (r.errors || r.non2xx)
          throw new Error(`${label}: ${side}: ${r.errors} errors, ${r.non2xx} non-2xx responses`);
      }
      return { ours, bare: bareResult };
    } finally {
      bare.stop();
    }
  } finally {
    await stop(server);
  }
}

const line = (label: string, r: { ours: Load; bare: Load }): string =>
  `${label}: ours ${Math.round(r.ours.rps)} req/s p99 ${ms(r.ours.p99)}ms, bare node:http ${Math.round(r.bare.rps)} req/s, ratio ${(r.ours.rps / r.bare.rps).toFixed(2)}`;

/** wrk when it is on PATH (unless BENCH_LOAD_GENERATOR=autocannon), else autocannon; says which. */
function chooseGenerator(scriptDir: string, placement: Placement | undefined): LoadGenerator {
  const wanted = process.env.BENCH_LOAD_GENERATOR;
  if (wanted !== undefined && wanted !== '' && wanted !== 'wrk' && wanted !== 'autocannon') {
    throw new Error(`BENCH_LOAD_GENERATOR must be wrk or autocannon, not ${wanted}`);
  }
  if (wanted === 'autocannon') {
    console.log('load generator: autocannon (BENCH_LOAD_GENERATOR=autocannon)');
    return autocannonGenerator;
  }
  if (wrkAvailable()) {
    console.log('load generator: wrk (1 thread)');
    return wrkGenerator(scriptDir, placement);
  }
  if (wanted === 'wrk')
    throw new Error('BENCH_LOAD_GENERATOR=wrk but wrk is not on PATH (Debian/Ubuntu: apt-get install wrk)');
  console.log(
    'load generator: autocannon, as wrk is not on PATH. autocannon (node) needs more CPU per request than wrk (~17 µs ' +
      'against ~10 on a 2-core VM), so it can hold back the bare baseline; install wrk (Debian/Ubuntu: apt-get install wrk)',
  );
  return autocannonGenerator;
}

async function main(): Promise<void> {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run \`node esbuild.mjs\` first (npm run bench:server does)`);
  const scratch = mkdtempSync(join(tmpdir(), 'promptops-bench-'));
  try {
    const placement = choosePlacement();
    const generator = chooseGenerator(scratch, placement);
    if (placement === undefined) {
      console.log('CPU placement: none (BENCH_PIN=0, fewer than 2 CPUs or no taskset): generator and servers float');
    } else {
      // autocannon runs in this process: pin it (servers started later are pinned on their own).
      if (generator === autocannonGenerator) pin(process.pid, placement.generatorCpu);
      console.log(
        `CPU placement: load generator on CPU ${placement.generatorCpu}, each server on CPU ${placement.serverCpu} (taskset; BENCH_PIN=0 to let them float)`,
      );
    }
    await run(generator, placement);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function run(generator: LoadGenerator, placement: Placement | undefined): Promise<void> {
  console.log(
    `GET /api/me, ${CONNECTIONS} connections, no pipelining, ${WARM_UP_S} s warm-up, then ${DURATION_S} s each in ${ROUNDS} alternating rounds, loopback`,
  );

  let postgres: { ours: Load; bare: Load } | undefined;
  if (PG_URL) {
    const backend = postgresBackend(PG_URL);
    try {
      postgres = await measure(
        generator,
        placement,
        'postgres',
        {
          PROMPTOPS_DATABASE_URL: backend.options.databaseUrl ?? '',
          PROMPTOPS_DATABASE_SCHEMA: backend.options.databaseSchema ?? '',
        },
        [],
      );
    } finally {
      await backend.cleanup();
    }
    console.log(line('server (postgres)', postgres));
  } else {
    console.log('server (postgres): skipped: no PROMPTOPS_TEST_DATABASE_URL');
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'promptops-bench-'));
  try {
    const sqlite = await measure(generator, placement, 'sqlite', {}, ['--data-dir', dataDir]);
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
