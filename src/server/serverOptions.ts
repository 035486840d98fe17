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
  trustProxy?: boolean;
  sessionPolicy?: Partial<SessionPolicy>;
  loginThrottle?: LoginThrottlePolicy;
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
    trustProxy: env.PROMPTOPS_TRUST_PROXY === '1' || env.PROMPTOPS_TRUST_PROXY === 'true',
  };
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`invalid port "${value}": use 0–65535`);
  return port;
}

export function staticTokenOf(options: ServerOptions): string {
  return options.staticToken || DEFAULT_STATIC_TOKEN;
}
