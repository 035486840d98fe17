import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { ApiErrorBody, ApiErrorCode } from '../../shared/api/errors';
import { ConflictError } from '../store/storeErrors';
import { fieldHint } from './fieldHints';
import { HttpError } from './httpError';

/** Fastify's own client errors, mapped to our codes. */
const FASTIFY_CODES: Record<string, { status: number; code: ApiErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Send the body as JSON (Content-Type: application/json).',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'bad_request',
    message: 'Content-Length does not match the body.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The body is not valid JSON.' },
};

function send(reply: FastifyReply, status: number, error: ApiErrorBody['error']): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error } satisfies ApiErrorBody);
}

/** The field a schema violation is about: `password`, `emails.1`, or the missing/extra property. */
function fieldOf(validation: NonNullable<FastifyError['validation']>[number]): string {
  const path = validation.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const params = validation.params as { missingProperty?: string; additionalProperty?: string };
  const child = params.missingProperty ?? params.additionalProperty;
  if (child !== undefined) return path ? `${path}.${child}` : child;
  return path;
}

function validationMessage(
  validation: NonNullable<FastifyError['validation']>[number],
  field: string,
  context: string,
): string {
  if (validation.keyword === 'additionalProperties') return `Unknown field "${field}".`;
  if (validation.keyword === 'required') return `Missing required field "${field}".`;
  if (validation.keyword === 'minProperties') return `The ${context} must contain at least one field.`;
  if (!field) return `The ${context} ${validation.message ?? 'is invalid'}.`;
  if (validation.keyword === 'pattern' || validation.keyword === 'format') {
    const hint = fieldHint(field);
    if (hint) return `"${field}" must be ${hint}.`;
  }
  return `"${field}" ${validation.message ?? 'is invalid'}.`;
}

/**
 * Every error becomes `{error: {code, message, field?}}`. Bad input is never a 500 and no
 * response ever carries a stack trace; only unexpected errors are logged, without bodies.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof HttpError) {
      reply.headers(err.headers);
      return send(reply, err.statusCode, {
        code: err.code,
        message: err.message,
        ...(err.field ? { field: err.field } : {}),
        ...(err.diagnostics ? { diagnostics: err.diagnostics } : {}),
        ...(err.request ? { request: err.request } : {}),
      });
    }
    if (err instanceof ConflictError) {
      return send(reply, 409, { code: 'conflict', message: err.message, field: err.field });
    }
    if (err.validation && err.validation.length > 0) {
      const first = err.validation[0];
      const field = fieldOf(first);
      const context = err.validationContext ?? 'body';
      return send(reply, 422, {
        code: 'validation_failed',
        message: validationMessage(first, field, context),
        ...(field ? { field } : { field: context }),
      });
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return send(reply, known.status, { code: known.code, message: known.message });
    if (err instanceof SyntaxError)
      return send(reply, 400, { code: 'invalid_json', message: 'The body is not valid JSON.' });
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, err.statusCode, { code: 'bad_request', message: 'The request is not valid.' });
    }
    request.log.error({ err }, 'unexpected error');
    return send(reply, 500, { code: 'internal', message: 'Internal server error.' });
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, 404, { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}.` }),
  );
}
