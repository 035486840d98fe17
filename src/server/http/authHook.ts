import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler, RouteOptions } from 'fastify';
import type { Action } from '../../core/policy/actions';
import { actionOutOfScope } from '../../core/policy/apiKeyScope';
import { decideOrgAction } from '../../core/policy/orgDecision';
import { requestActor } from '../auth/actorOf';
import { bearerToken, type Authenticator } from '../auth/authenticator';
import { HttpError } from './httpError';
import type { RouteAccess } from './routeAccess';
import { deniedBy } from '../reviews/refusal';
import { throwIfRefused } from './refusalResponse';

/**
 * Runs before the body is read: 401 without valid credentials, 403 when the route's org
 * action is refused by decide() (the org role alone, as for every org action; no access
 * file is read). Identity and role are the store's current ones on every request
 * (Authenticator). An API key acts with its creator's current role and is also refused
 * on a route whose action its scope leaves out (the rules inside each route then decide
 * for the key as for people: decide() intersects the key's scope with the creator's rights).
 *
 * The hook is attached to each non-public route as it is registered, with the role it
 * needs fixed then, so a request neither looks its route's options up nor runs a hook
 * on public routes. Every route declares its access (routeCatalog refuses one that does
 * not), so none is left without the hook by mistake.
 */
export function registerAuthHook(app: FastifyInstance, authenticator: Authenticator): void {
  // Declared up front so every request object keeps one shape (fastify's advice for speed).
  app.decorateRequest('identity', undefined);

  const authenticate = async (
    request: FastifyRequest,
    access: Exclude<RouteAccess, 'public'>,
    keyAction: Action | 'any' | undefined,
  ): Promise<void> => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      throw new HttpError(401, 'unauthorized', 'Sign in: send Authorization: Bearer <token>.', undefined, {
        'www-authenticate': 'Bearer realm="promptops"',
      });
    }
    const identity = await authenticator.authenticate(token);
    if (!identity) {
      throw new HttpError(401, 'unauthorized', 'The token is invalid or has expired; sign in again.', undefined, {
        'www-authenticate': 'Bearer realm="promptops", error="invalid_token"',
      });
    }
    // Known from here on, so a refusal can be audited with who asked (registerRefusalAudit).
    request.identity = identity;
    // A key's own limit first, so its refusal names what the key lacks (as decide() does).
    if (identity.kind === 'api-key' && keyAction !== 'any') {
      if (keyAction === undefined) {
        throw new HttpError(403, 'forbidden', 'API keys cannot call this route; sign in as a user (promptops login).');
      }
      const outOfScope = actionOutOfScope(identity.key.scope, keyAction);
      if (outOfScope) throw new HttpError(403, 'forbidden', outOfScope);
    }
    if (access === 'signed-in') return;
    const d = decideOrgAction(requestActor(identity), access);
    throwIfRefused(deniedBy(d));
  };

  // One hook function per access and key action, shared by the routes that need it.
  const hooks = new Map<string, onRequestAsyncHookHandler>();
  const hookFor = (
    access: Exclude<RouteAccess, 'public'>,
    keyAction: Action | 'any' | undefined,
  ): onRequestAsyncHookHandler => {
    const id = `${access} ${keyAction ?? ''}`;
    let hook = hooks.get(id);
    if (!hook) {
      hook = (request) => authenticate(request, access, keyAction);
      hooks.set(id, hook);
    }
    return hook;
  };

  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access;
    if (access === undefined || access === 'public') return;
    // First, before any hook the route brings itself, as the global hook ran before them.
    const own =
      route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [hookFor(access, route.config?.keyAction), ...own];
  });
}
