import { hostname } from 'node:os';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** What the access line needs of the app's root logger (a pino instance). */
export interface RootLogger {
  isLevelEnabled(level: string): boolean;
}

/** pino's number for `info`, the level access lines are written at. */
const INFO = 30;

/** A JSON string literal; `null` for a missing value (pino would drop the key). */
function json(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * One structured line per request, when it completes (fastify's default is two: one on
 * arrival, one at the end). Method, path, status and time only: never headers, bodies
 * or the query string, so no token or password can reach the logs.
 *
 * A successful request's line is the one line written on every request, so it is not
 * built by pino (an object per line, then serialised again and run through redaction
 * that has nothing to redact): it is a fixed template, written to the same stream pino
 * writes to, with the same fields in the same order as pino would write them —
 * `{"level":30,"time":…,"pid":…,"hostname":…,"reqId":…,"method":…,"path":…,
 * "statusCode":…,"responseTimeMs":…,"remoteAddress":…,"msg":"request completed"}`.
 * Every string from the request goes through JSON.stringify. Errors still go through
 * pino, with its error serialiser and redaction.
 */
export class OneLinePerRequest extends LogController {
  private root: RootLogger | undefined;
  private head = '';

  constructor(private readonly stream: { writeAccess(line: string): unknown }) {
    super();
  }

  /**
   * Binds to the app's root logger, whose level decides whether access lines are
   * written; call once, before listening. pid and hostname are pino's default `base`.
   */
  attach(root: RootLogger): void {
    this.root = root;
    this.head = `,"pid":${process.pid},"hostname":${json(hostname())},"reqId":`;
  }

  override incomingRequest(): void {
    // Folded into the completion line.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const responseTimeMs = Math.round(reply.elapsedTime * 100) / 100;
    if (error) {
      reply.log.error(
        {
          method: request.method,
          path: pathOf(request.url),
          statusCode: reply.statusCode,
          responseTimeMs,
          remoteAddress: request.ip,
          err: error,
        },
        'request errored',
      );
      return;
    }
    const root = this.root;
    if (root === undefined) {
      reply.log.info(
        {
          method: request.method,
          path: pathOf(request.url),
          statusCode: reply.statusCode,
          responseTimeMs,
          remoteAddress: request.ip,
        },
        'request completed',
      );
      return;
    }
    if (!root.isLevelEnabled('info')) return;
    this.stream.writeAccess(
      `{"level":${INFO},"time":${Date.now()}${this.head}${json(request.id)},"method":${json(request.method)},"path":${json(pathOf(request.url))},"statusCode":${reply.statusCode},"responseTimeMs":${responseTimeMs},"remoteAddress":${json(request.ip)},"msg":"request completed"}\n`,
    );
  }
}
