import { STATUS_CODES } from 'node:http';
import type { CatalogRoute } from './routeCatalog';
import { errorSchema } from './schemas';

type JsonSchema = Record<string, unknown>;

/** Errors every route of its kind can answer with, besides its own `extraStatuses`. */
function errorStatuses(route: CatalogRoute): number[] {
  const statuses = new Set<number>(route.extraStatuses);
  if (route.access !== 'public') statuses.add(401);
  if (route.access !== 'public' && route.access !== 'signed-in') statuses.add(403);
  if (route.schema.body) [400, 413, 415, 422].forEach((s) => statuses.add(s));
  if (route.schema.params) [404, 422].forEach((s) => statuses.add(s));
  return [...statuses].sort((a, b) => a - b);
}

function pathParameters(params: unknown): unknown[] {
  const properties = (params as { properties?: Record<string, JsonSchema> } | undefined)?.properties ?? {};
  return Object.entries(properties).map(([name, schema]) => ({ name, in: 'path', required: true, schema }));
}

function operation(route: CatalogRoute): JsonSchema {
  const responses: Record<string, unknown> = {};
  const declared = (route.schema.response ?? {}) as Record<string, JsonSchema>;
  for (const [status, schema] of Object.entries(declared)) {
    responses[status] = {
      description: STATUS_CODES[Number(status)] ?? status,
      content: { 'application/json': { schema } },
    };
  }
  if (Object.keys(declared).length === 0) responses['204'] = { description: 'No Content' };
  for (const status of errorStatuses(route)) {
    responses[String(status)] = {
      description: STATUS_CODES[status] ?? String(status),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    summary: route.summary,
    // `public`, `signed-in`, or the org action decide() must allow.
    'x-promptops-access': route.access,
    ...(route.access !== 'public' && { 'x-promptops-api-key-action': route.keyAction ?? 'none' }),
    security: route.access === 'public' ? [] : [{ bearer: [] }],
    ...(route.schema.params ? { parameters: pathParameters(route.schema.params) } : {}),
    ...(route.schema.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: route.schema.body } } } }
      : {}),
    responses,
  };
}

/** OpenAPI 3.1 (plain JSON Schema) built from the very schemas the routes validate with. */
export function openApiDocument(routes: readonly CatalogRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'PromptOps server',
      version,
      description:
        'Roles, sign-in, users, workspaces, the access file, reviews, signed releases and the audit log. Every /api/* route except POST /api/login needs Authorization: Bearer <token> (a session token, PROMPTOPS_TOKEN, or an API key `pok_…`, which a route admits when its scope includes the route’s x-promptops-api-key-action).',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
