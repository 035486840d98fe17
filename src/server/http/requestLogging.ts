import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One structured line per request, when it completes (fastify's default is two: one on
 * arrival, one at the end). Method, path, status and time only: never headers or bodies,
 * so no token or password can reach the logs.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {
    // Folded into the completion line.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      path: request.url.split('?')[0],
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
      remoteAddress: request.ip,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
