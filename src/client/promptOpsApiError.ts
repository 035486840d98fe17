import type { ApiErrorBody, DiagnosticDto } from '../shared/api/errors';

/**
 * A non-2xx answer from the server, or no answer at all (`status` 0, code `network`).
 * `message` is the server's sentence, ready to show a person.
 */
export class PromptOpsApiError extends Error {
  override name = 'PromptOpsApiError';
  /** No answer came within the client's timeout (code `network`): the server may still be working. */
  timedOut = false;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly diagnostics?: DiagnosticDto[],
  ) {
    super(message);
  }

  /** From a response body; falls back to the status line when the body is not our error shape. */
  static fromBody(status: number, statusText: string, body: unknown): PromptOpsApiError {
    const error = (body as Partial<ApiErrorBody> | undefined)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      return new PromptOpsApiError(status, error.code, error.message, error.field, error.diagnostics);
    }
    return new PromptOpsApiError(
      status,
      'http_error',
      `The server answered ${status} ${statusText}.`.replace(/ \./, '.'),
    );
  }
}
