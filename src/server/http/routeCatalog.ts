import type { Action } from '../../core/policy/actions';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import type { RouteAccess } from './routeAccess';

export interface CatalogRoute {
  method: string;
  url: string;
  access: RouteAccess;
  /** What an API key's scope must include to call it; undefined: keys are refused. */
  keyAction?: Action | 'any';
  summary?: string;
  extraStatuses: number[];
  schema: FastifySchema;
}

/**
 * Records every route as it is registered: the source for the OpenAPI document and for
 * the test that each route has rows in the authorization matrix. A route that does not
 * say who may call it fails registration, so none can slip through unguarded.
 */
export function collectRoutes(app: FastifyInstance): CatalogRoute[] {
  const routes: CatalogRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access;
    if (access === undefined)
      throw new Error(`route ${String(route.method)} ${route.url} does not declare config.access`);
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      routes.push({
        method,
        url: route.url,
        access,
        keyAction: route.config?.keyAction,
        summary: route.config?.summary,
        extraStatuses: route.config?.extraStatuses ?? [],
        schema: route.schema ?? {},
      });
    }
  });
  return routes;
}
