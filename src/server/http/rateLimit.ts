import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { isLoopbackAddress } from '../loopback';
import { HttpError } from './httpError';

/** Requests per client address per minute; `0` turns the limiter off. */
export interface RateLimitOptions {
  perMinute: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perMinute: 600 };

/**
 * A per-address limit on every request, before authentication runs, so floods of bad
 * tokens or sign-ins are refused without a database query. Addresses are `request.ip`,
 * i.e. after the trusted proxies; IPv6 clients are grouped by /56 (the plugin's
 * default), as one host usually holds a whole prefix. Counts are kept in this process's
 * memory: with N processes an address gets up to N times the limit, which is fine for
 * an abuse guard (the sign-in throttle, which must hold exactly, is in the store).
 * Loopback is not limited: it is this host (tests, benchmarks, the demo), and behind a
 * local proxy without PROMPTOPS_TRUSTED_PROXIES every client would share that address.
 */
export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  if (options.perMinute <= 0) return;
  await app.register(rateLimit, {
    // Not per route: the plugin would append its hook after the auth hook, which would
    // answer a flood of bad tokens (with a query each) before the limit is looked at.
    global: false,
    max: options.perMinute,
    timeWindow: 60 * 1000,
    allowList: (request) => isLoopbackAddress(request.ip),
    errorResponseBuilder: (_request, context) =>
      new HttpError(
        429,
        'too_many_requests',
        `Too many requests from this address (limit ${context.max} per minute). Try again in ${context.after}.`,
      ),
  });
  // A global onRequest hook runs before every route's own hooks, unknown URLs included.
  app.addHook('onRequest', app.rateLimit());
}
