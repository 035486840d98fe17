import type { ApiErrorCode, ApiRequestDto, DiagnosticDto } from '../../shared/api/errors';

/** An error a route means to answer with; the error handler turns it into `{error: …}`. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
    /** Located problems in an uploaded file, sent as `error.diagnostics`. */
    readonly diagnostics?: DiagnosticDto[],
    /** The request that lifts the refusal, for API clients; `message` tells a person what to do instead. */
    readonly request?: ApiRequestDto,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, 'not_found', `${what} not found.`);

export const invalidField = (field: string, message: string): HttpError =>
  new HttpError(422, 'validation_failed', message, field);
