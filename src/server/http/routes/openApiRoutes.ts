import type { FastifyInstance } from 'fastify';
import { openApiDocument } from '../openApiDocument';
import type { CatalogRoute } from '../routeCatalog';

/** `GET /api/openapi.json`: the document of every route, this one included. */
export function registerOpenApiRoutes(app: FastifyInstance, routes: readonly CatalogRoute[], version: string): void {
  let document: unknown;
  app.get(
    '/api/openapi.json',
    {
      config: { access: 'signed-in', keyAction: 'any', summary: 'This OpenAPI document.' },
      schema: {
        response: { 200: { type: 'object', additionalProperties: true, description: 'OpenAPI 3.1 document.' } },
      },
    },
    async () => {
      // Built on first use: by then every route has been registered.
      document ??= openApiDocument(routes, version);
      return document;
    },
  );
}
