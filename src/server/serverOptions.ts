import { isIP } from 'node:net';
import type { LoginThrottlePolicy } from './auth/loginThrottle';
import type { SessionPolicy } from './auth/sessionPolicy';
import { DEFAULT_STATIC_TOKEN } from './auth/staticToken';

export const DEFAULT_PORT = 4700;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATA_DIR = '.promptops-server';

export interface ServerOptions {
  /** 0 picks a free port. Default 4700. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Holds the SQLite file. Default `./.promptops-server`. */
  dataDir?: string;
  /** `postgres://…` or `postgresql://…` selects PostgreSQL; otherwise SQLite in `dataDir`. */
  databaseUrl?: string;
  /** PostgreSQL schema for all tables (default `public`). */
  databaseSchema?: string;
  /** The admin token (`PROMPTOPS_TOKEN`); default `promptops-dev-token`. */
  staticToken?: string;
  logLevel?: string;
  /** Where JSON logs go (default stdout); tests capture them to check nothing secret is logged. */
  logStream?: NodeJS.WritableStream;
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed (`PROMPTOPS_TRUSTED_PROXIES`):
   * their addresses/CIDRs, or the number of proxy hops in front of the server. Unset:
   * none, the peer's address is the client's.
   */
  trustedProxies?: TrustedProxies;
  /** Requests per client address per minute on every route (`PROMPTOPS_RATE_LIMIT`, default 600, 0 = off). */
  rateLimitPerMinute?: number;
  sessionPolicy?: Partial<SessionPolicy>;
  loginThrottle?: LoginThrottlePolicy;
  /**
   * Where the server's own evaluations find their model (`PROMPTOPS_MODEL_BASE_URL`,
   * `PROMPTOPS_MODEL_API_KEY`, `PROMPTOPS_MODEL_TIMEOUT_MS`, `PROMPTOPS_EVAL_GRADER_MODEL`);
   * default the server process's environment. Read when an evaluation runs.
   */
  modelEnv?: NodeJS.ProcessEnv;
  /** Clock, for tests. */
  now?: () => number;
}

/** Environment variables the server reads; flags given on the command line win over them. */
export function serverOptionsFromEnv(env: NodeJS.ProcessEnv): ServerOptions {
  const port =
    env.PROMPTOPS_PORT !== undefined && env.PROMPTOPS_PORT !== '' ? parsePort(env.PROMPTOPS_PORT) : undefined;
  return {
    port,
    host: env.PROMPTOPS_HOST || undefined,
    dataDir: env.PROMPTOPS_DATA_DIR || undefined,
    databaseUrl: env.PROMPTOPS_DATABASE_URL || undefined,
    databaseSchema: env.PROMPTOPS_DATABASE_SCHEMA || undefined,
    staticToken: env.PROMPTOPS_TOKEN || undefined,
    logLevel: env.PROMPTOPS_LOG_LEVEL || undefined,
    trustedProxies: parseTrustedProxies(env.PROMPTOPS_TRUSTED_PROXIES, env.PROMPTOPS_TRUST_PROXY),
    rateLimitPerMinute: parseRateLimit(env.PROMPTOPS_RATE_LIMIT),
  };
}

/** A hop count, or addresses / CIDR ranges / proxy-addr's names for reserved ranges. */
export type TrustedProxies = number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `PROMPTOPS_TRUSTED_PROXIES`. fastify (proxy-addr) then takes the client address from
 * the right of `X-Forwarded-For`, skipping only trusted hops, so a client cannot choose
 * its address by sending the header itself; without the variable the header is ignored.
 * The old on/off `PROMPTOPS_TRUST_PROXY` believed the left-most value and is refused.
 */
export function parseTrustedProxies(value: string | undefined, legacy?: string): TrustedProxies | undefined {
  if (legacy !== undefined && legacy !== '') {
    throw new Error(
      'PROMPTOPS_TRUST_PROXY is no longer read: set PROMPTOPS_TRUSTED_PROXIES to the addresses or CIDR ranges of ' +
        'your reverse proxies (e.g. "10.0.0.5" or "10.0.0.0/8,loopback"), or to the number of proxies in front of the server (e.g. "1").',
    );
  }
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    if (hops > 32) throw new Error(`PROMPTOPS_TRUSTED_PROXIES: ${hops} proxy hops is not plausible (use 1–32)`);
    return hops === 0 ? undefined : hops;
  }
  const entries = trimmed.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !isAddressOrRange(e));
  if (bad !== undefined) {
    throw new Error(
      `PROMPTOPS_TRUSTED_PROXIES: "${bad}" is not an IP address, a CIDR range (e.g. 10.0.0.0/8), ` +
        'loopback, linklocal or uniquelocal; give a comma-separated list of those, or a hop count (e.g. 1).',
    );
  }
  return entries;
}

function parseRateLimit(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) {
    throw new Error(`PROMPTOPS_RATE_LIMIT: "${value}" is not a number of requests per minute (0 turns the limit off)`);
  }
  return Number(value);
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`invalid port "${value}": use 0–65535`);
  return port;
}

export function staticTokenOf(options: ServerOptions): string {
  return options.staticToken || DEFAULT_STATIC_TOKEN;
}
