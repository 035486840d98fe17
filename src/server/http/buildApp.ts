import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Authenticator } from '../auth/authenticator';
import { registerRefusalAudit } from '../audit/refusalAudit';
import { registerAuthHook } from './authHook';
import { BufferedLogStream } from './bufferedLogStream';
import { LazyRequestLogger } from './lazyRequestLogger';
import { registerErrorHandling } from './errorHandler';
import { OneLinePerRequest, type RootLogger } from './requestLogging';
import { collectRoutes, type CatalogRoute } from './routeCatalog';
import { registerHealthRoutes } from './routes/healthRoutes';
import { registerOpenApiRoutes } from './routes/openApiRoutes';
import { registerSessionRoutes } from './routes/sessionRoutes';
import { registerUserRoutes } from './routes/userRoutes';
import { registerSigningKeyRoutes } from './routes/signingKeyRoutes';
import { registerWorkspaceRoutes } from './routes/workspaceRoutes';
import { registerApiKeyRoutes } from './routes/apiKeyRoutes';
import { registerInviteRoutes } from './routes/inviteRoutes';
import { registerInvitePage } from './routes/invitePage';
import { registerAccessReviewRoutes } from './routes/accessReviewRoutes';
import { registerAuditRoutes } from './routes/auditRoutes';
import { registerDirectoryRoutes } from './routes/directoryRoutes';
import { registerKeyRoutes } from './routes/keyRoutes';
import { registerPolicyRoutes } from './routes/policyRoutes';
import { registerReleaseRoutes } from './routes/releaseRoutes';
import { registerReviewRoutes } from './routes/reviewRoutes';
import { registerEvaluationRoutes } from './routes/evaluationRoutes';
import type { ServerContext } from './serverContext';
import { registerRateLimit, type RateLimitOptions } from './rateLimit';
import type { TrustedProxies } from '../serverOptions';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppOptions {
  context: ServerContext;
  authenticator: Authenticator;
  version: string;
  /** pino level; `silent` in tests. */
  logLevel: string;
  logStream?: NodeJS.WritableStream;
  /** Whose X-Forwarded-For to believe; undefined: nobody's (the peer is the client). */
  trustedProxies: TrustedProxies | undefined;
  rateLimit: RateLimitOptions;
}

export interface App {
  fastify: FastifyInstance;
  routes: readonly CatalogRoute[];
  /** Writes out buffered log lines; call after the server has closed. */
  flushLogs(): void;
}

function loggerOptions(level: string, stream: { write(line: string): unknown }): FastifyServerOptions['logger'] {
  return {
    level,
    stream,
    // Default serializers log no headers or bodies; redact anyway in case someone logs a request.
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.password', '*.token', 'password', 'token'],
      censor: '[redacted]',
    },
  };
}

/**
 * fastify's `trustProxy`. A hop count becomes proxy-addr's "trust the first n hops from
 * the socket" function (the form fastify uses for a number, which its types leave out).
 */
function trustProxyOption(trusted: TrustedProxies | undefined): FastifyServerOptions['trustProxy'] {
  if (trusted === undefined) return false;
  if (typeof trusted === 'number') return (_address: string, hop: number) => hop < trusted;
  return trusted;
}

/** The HTTP API as a fastify instance, not yet listening. */
export async function buildApp(options: AppOptions): Promise<App> {
  const logStream = new BufferedLogStream(options.logStream);
  const accessLog = new OneLinePerRequest(logStream);
  const app = Fastify({
    logger: loggerOptions(options.logLevel, logStream),
    logController: accessLog,
    bodyLimit: BODY_LIMIT_BYTES,
    // Never `true`: that believes the left-most X-Forwarded-For value, which the client writes.
    trustProxy: trustProxyOption(options.trustedProxies),
    exposeHeadRoutes: false,
    return503OnClosing: true,
    ajv: {
      // Strict: reject unknown properties instead of silently dropping them, and never coerce types.
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
    },
  });
  // fastify types its logger as pino's BaseLogger; the instance is a full pino logger.
  accessLog.attach(app.log as typeof app.log & RootLogger);
  app.setChildLoggerFactory((logger, bindings, childOptions) => new LazyRequestLogger(logger, bindings, childOptions));
  // JSON only: without a text/plain parser, fastify answers any non-JSON body with 415.
  app.removeContentTypeParser('text/plain');

  const routes = collectRoutes(app);
  registerErrorHandling(app);
  await registerRateLimit(app, options.rateLimit);
  registerAuthHook(app, options.authenticator);
  registerRefusalAudit(app, options.context.store, options.context.now);

  registerHealthRoutes(app, options.context);
  registerSessionRoutes(app, options.context);
  registerUserRoutes(app, options.context);
  registerSigningKeyRoutes(app, options.context);
  registerApiKeyRoutes(app, options.context);
  registerInviteRoutes(app, options.context);
  registerInvitePage(app);
  registerAccessReviewRoutes(app, options.context);
  registerWorkspaceRoutes(app, options.context);
  registerPolicyRoutes(app, options.context);
  registerKeyRoutes(app, options.context);
  registerReviewRoutes(app, options.context);
  registerEvaluationRoutes(app, options.context);
  registerReleaseRoutes(app, options.context);
  registerDirectoryRoutes(app, options.context);
  registerAuditRoutes(app, options.context);
  registerOpenApiRoutes(app, routes, options.version);

  await app.ready();
  return { fastify: app, routes, flushLogs: () => logStream.flush() };
}
