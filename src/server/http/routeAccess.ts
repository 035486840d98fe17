import type { Action, OrgAction } from '../../core/policy/actions';
import type { Identity } from '../auth/identity';

/**
 * Who may call a route: anyone (`public`), any signed-in caller (`signed-in`; what they
 * may do inside is decided per resource), or a signed-in caller whom decide() allows
 * this org action (the auth hook asks it).
 */
export type RouteAccess = 'public' | 'signed-in' | OrgAction;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route; the server refuses to start with a route that lacks it. */
    access?: RouteAccess;
    /**
     * The action an API key's scope must include to call this route (`any`: every key,
     * e.g. `GET /api/me`). Without it, API keys are refused: a route is closed to keys
     * until someone decides which action it is.
     */
    keyAction?: Action | 'any';
    /** Statuses beyond the ones implied by access and schema, for the OpenAPI document. */
    extraStatuses?: number[];
    summary?: string;
  }
  interface FastifyRequest {
    /** Set by the auth hook on every non-public route. */
    identity?: Identity;
  }
}

export function requireIdentity(identity: Identity | undefined): Identity {
  // The auth hook runs before every non-public handler; reaching here without one is a bug.
  if (!identity) throw new Error('route ran without an authenticated identity');
  return identity;
}
