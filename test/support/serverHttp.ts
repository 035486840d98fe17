import type { ApiErrorBody } from '../../src/shared/api/errors';

/** A tiny JSON client for server tests: always returns status, headers and parsed body. */
export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface HttpRequest {
  method: string;
  path: string;
  token?: string;
  /** Objects are sent as JSON; strings are sent as they are. */
  body?: unknown;
  headers?: Record<string, string>;
}

export async function http(baseUrl: string, req: HttpRequest): Promise<HttpResult> {
  const headers: Record<string, string> = { ...req.headers };
  let body: string | undefined;
  if (req.body !== undefined) {
    body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    headers['content-type'] ??= 'application/json';
  }
  if (req.token !== undefined) headers.authorization = `Bearer ${req.token}`;
  const res = await fetch(baseUrl + req.path, { method: req.method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The `{error: {code, message, field}}` of a response, for assertions. */
export function errorOf(result: HttpResult): ApiErrorBody['error'] {
  return (result.json as ApiErrorBody).error;
}
