import type { FastifyInstance } from 'fastify';
import { Authenticator } from './auth/authenticator';
import { ensureInitialAdmin } from './auth/initialAdmin';
import { LoginThrottle } from './auth/loginThrottle';
import { prepareDummyHash } from './auth/passwordHashing';
import { assertSafeToListen, CredentialWarnings } from './auth/securityWarnings';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from './auth/sessionPolicy';
import { SignIn } from './auth/signIn';
import { StaticToken } from './auth/staticToken';
import type { SecurityWarning } from '../shared/api/auth';
import { buildApp } from './http/buildApp';
import { DEFAULT_RATE_LIMIT } from './http/rateLimit';
import type { CatalogRoute } from './http/routeCatalog';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, staticTokenOf, type ServerOptions } from './serverOptions';
import { openStore } from './store/openStore';
import { PolicyProvider } from './policy/policyInForce';
import { SigningKeyProvider } from './signing/signingKeyProvider';
import { AUDIT_CHECKPOINT_EVERY_MS, checkpointAudit } from './audit/auditCheckpoints';
import type { Store } from './store/store';
import { SERVER_VERSION } from './version';
import type { ServerContext } from './http/serverContext';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:4700` */
  url: string;
  port: number;
  store: Store;
  /** Every registered route (method, url, access), as the OpenAPI document lists them. */
  routes: readonly CatalogRoute[];
  /** True when this start created `admin`/`admin` (a fresh database). */
  createdInitialAdmin: boolean;
  /** Default credentials still in use, at start. */
  warnings: SecurityWarning[];
  /** A request without a socket (fastify's `inject`): tests choose the peer address with `remoteAddress`. */
  inject: FastifyInstance['inject'];
  /** Stops accepting requests, lets in-flight ones finish, closes the database. */
  close(): Promise<void>;
}

const SESSION_SWEEP_EVERY_MS = 60 * 60 * 1000;

/** Opens the store (running migrations), seeds first-start data and listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const now = options.now ?? Date.now;
  const sessionPolicy: SessionPolicy = { ...DEFAULT_SESSION_POLICY, ...options.sessionPolicy };
  const staticToken = new StaticToken(staticTokenOf(options));
  const store = await openStore({
    databaseUrl: options.databaseUrl,
    databaseSchema: options.databaseSchema,
    dataDir: options.dataDir ?? DEFAULT_DATA_DIR,
  });
  try {
    const createdInitialAdmin = await ensureInitialAdmin(store, now());
    const host = options.host ?? DEFAULT_HOST;
    const credentialWarnings = new CredentialWarnings(store, staticToken);
    const warnings = await credentialWarnings.current();
    assertSafeToListen(host, warnings);
    await prepareDummyHash();
    const loginThrottle = new LoginThrottle(store, options.loginThrottle);
    const signIn = new SignIn(store, loginThrottle, sessionPolicy, now);
    const authenticator = new Authenticator(store, staticToken, sessionPolicy, now);
    const signingKeys = await SigningKeyProvider.load(store);
    const context: ServerContext = {
      store,
      signIn,
      loginThrottle,
      credentialWarnings,
      now,
      policies: new PolicyProvider(store),
      signingKeys,
      modelEnv: options.modelEnv ?? process.env,
    };
    const app = await buildApp({
      context,
      authenticator,
      version: SERVER_VERSION,
      logLevel: options.logLevel ?? 'info',
      logStream: options.logStream,
      trustedProxies: options.trustedProxies,
      rateLimit: { perMinute: options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT.perMinute },
    });

    const sweepExpiredSessions = (): void => {
      const t = now();
      store.deleteExpiredSessions(t - sessionPolicy.idleMs, t).catch((err: unknown) => {
        app.fastify.log.warn({ err }, 'could not delete expired sessions');
      });
    };
    sweepExpiredSessions();
    const sweeper = setInterval(sweepExpiredSessions, SESSION_SWEEP_EVERY_MS).unref();
    // Periodic signed checkpoints of the audit chain (the checkpoints route also makes one).
    const checkpointer = setInterval(() => {
      void signingKeys
        .signingKey()
        .then((key) => checkpointAudit(store, key, now()))
        .catch((err: unknown) => {
          app.fastify.log.warn({ err }, 'could not checkpoint the audit log');
        });
    }, AUDIT_CHECKPOINT_EVERY_MS).unref();

    await app.fastify.listen({ port: options.port ?? DEFAULT_PORT, host });
    const address = app.fastify.server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? DEFAULT_PORT);
    const urlHost = host.includes(':') ? `[${host}]` : host;

    let closing: Promise<void> | undefined;
    return {
      url: `http://${urlHost}:${port}`,
      port,
      store,
      routes: app.routes,
      createdInitialAdmin,
      warnings,
      inject: app.fastify.inject.bind(app.fastify),
      close: () =>
        (closing ??= (async () => {
          clearInterval(sweeper);
          clearInterval(checkpointer);
          await app.fastify.close();
          await store.close();
          app.flushLogs();
        })()),
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
