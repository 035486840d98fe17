import type { Store } from '../store/store';
import { apiKeyId, apiKeyMatches, looksLikeApiKey } from './apiKeyTokens';
import type { Identity } from './identity';
import { isSessionExpired, type SessionPolicy } from './sessionPolicy';
import { tokenDigest } from './sessionTokens';
import type { StaticToken } from './staticToken';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
}

/**
 * Turns a bearer token into an identity with one indexed query (session joined to its
 * user). Nothing is cached, so a role change or removal applies on the next request.
 * The token is hashed once: its SHA-256 is compared in constant time with the static
 * token's and, as hex, is the key the session is stored under.
 */
export class Authenticator {
  constructor(
    private readonly store: Store,
    private readonly staticToken: StaticToken,
    private readonly sessionPolicy: SessionPolicy,
    private readonly now: () => number,
  ) {}

  async authenticate(token: string): Promise<Identity | undefined> {
    const digest = tokenDigest(token);
    if (this.staticToken.matchesDigest(digest)) return { kind: 'static-token', role: 'admin' };
    if (looksLikeApiKey(token)) return this.authenticateKey(token);
    const tokenHash = digest.toString('hex');
    const found = await this.store.findSession(tokenHash);
    if (!found) return undefined;
    const now = this.now();
    if (isSessionExpired(found.session, now, this.sessionPolicy)) {
      await this.store.deleteSession(tokenHash);
      return undefined;
    }
    if (now - found.session.lastUsedAt >= this.sessionPolicy.touchEveryMs) {
      await this.store.touchSession(tokenHash, now);
    }
    return { kind: 'session', role: found.user.role, user: found.user, tokenHash };
  }

  /**
   * One answer (undefined) for a garbled key, an unknown id, a wrong secret, a revoked or
   * expired key and a removed creator, so a caller learns nothing about which part was
   * wrong. An unknown id still costs one hash comparison, like a known one.
   */
  private async authenticateKey(token: string): Promise<Identity | undefined> {
    const id = apiKeyId(token);
    const found = id === undefined ? undefined : await this.store.findApiKey(id);
    const matches = apiKeyMatches(token, found?.key.secretHash ?? UNUSED_HASH);
    if (!found || !matches) return undefined;
    const { key, user } = found;
    const now = this.now();
    if (now >= key.expiresAt) return undefined;
    if (key.lastUsedAt === null || now - key.lastUsedAt >= this.sessionPolicy.touchEveryMs) {
      await this.store.touchApiKey(key.id, now);
    }
    return {
      kind: 'api-key',
      role: user.role,
      user,
      key: { id: key.id, expiresAt: key.expiresAt, scope: { name: key.name, ...key.scope } },
    };
  }
}

/** Compared against when no key was found, so that path costs what a found one does. */
const UNUSED_HASH = '0'.repeat(64);
