import type { FastifyInstance } from 'fastify';
import { bearerToken, type Authenticator } from '../auth/authenticator';
import { roleAtLeast } from '../auth/roleRank';
import { HttpError } from './httpError';

/**
 * Runs before the body is read: 401 without valid credentials, 403 when the role is too
 * low. Identity and role come from the store on every request.
 */
export function registerAuthHook(app: FastifyInstance, authenticator: Authenticator): void {
  // Declared up front so every request object keeps one shape (fastify's advice for speed).
  app.decorateRequest('identity', undefined);
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return;
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
    if (!roleAtLeast(identity.role, access)) {
      throw new HttpError(403, 'forbidden', `This needs the ${access} role; you are ${identity.role}.`);
    }
    request.identity = identity;
  });
}
