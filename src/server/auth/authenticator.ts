import type { FoundApiKey } from '../store/apiKeyRecords';
import type { SessionRecord, SessionUser } from '../store/records';
import type { Store } from '../store/store';
import { apiKeyId, apiKeyMatches, looksLikeApiKey } from './apiKeyTokens';
import type { Identity } from './identity';
import { IdentityCache } from './identityCache';
import { isSessionExpired, type SessionPolicy } from './sessionPolicy';
import { tokenDigest } from './sessionTokens';
import type { StaticToken } from './staticToken';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
}

/** Credentials kept per process (each map): a few hundred bytes each. */
const IDENTITIES_KEPT = 10_000;

type FoundSession = { session: SessionRecord; user: SessionUser };

/**
 * Turns a bearer token into an identity. Each request reads the store's auth generation
 * (one row by primary key); the session and its user (or the key and its creator) are
 * read again only when that has moved since they were read, when the process has not
 * read them yet, or when they are due to be touched or look expired. A role change,
 * removal, sign-out or revoked key made through any process moves the generation in its
 * commit, so it applies on the next request everywhere (IdentityCache). Only the store's
 * current answer ever refuses or deletes: an entry that looks expired here may have been
 * used through another process since, so it is read again first.
 * The token is hashed once: its SHA-256 is compared in constant time with the static
 * token's and, as hex, is the key the session is stored under.
 */
export class Authenticator {
  private readonly sessions = new IdentityCache<FoundSession>(IDENTITIES_KEPT);
  private readonly keys = new IdentityCache<FoundApiKey>(IDENTITIES_KEPT);

  constructor(
    private readonly store: Store,
    private readonly staticToken: StaticToken,
    private readonly sessionPolicy: SessionPolicy,
    private readonly now: () => number,
  ) {}

  async authenticate(token: string): Promise<Identity | undefined> {
    const digest = tokenDigest(token);
    if (this.staticToken.matchesDigest(digest)) return { kind: 'static-token', role: 'admin' };
    const generation = await this.store.authGeneration();
    if (looksLikeApiKey(token)) return this.authenticateKey(token, generation);
    const tokenHash = digest.toString('hex');
    const now = this.now();
    const kept = this.sessions.get(tokenHash, generation);
    const found =
      kept && this.isFresh(kept.session.lastUsedAt, now) && !isSessionExpired(kept.session, now, this.sessionPolicy)
        ? kept
        : await this.readSession(tokenHash, now, generation);
    return found && { kind: 'session', role: found.user.role, user: found.user, tokenHash };
  }

  /** The store's answer: deletes an expired session, touches a due one, keeps a live one. */
  private async readSession(tokenHash: string, now: number, generation: number): Promise<FoundSession | undefined> {
    const found = await this.store.findSession(tokenHash);
    if (!found) return undefined;
    if (isSessionExpired(found.session, now, this.sessionPolicy)) {
      await this.store.deleteSession(tokenHash);
      return undefined;
    }
    if (!this.isFresh(found.session.lastUsedAt, now)) {
      await this.store.touchSession(tokenHash, now);
      found.session.lastUsedAt = now;
    }
    this.sessions.set(tokenHash, found, generation);
    return found;
  }

  /** Used within the touch interval, so last_used_at is not due to be written. */
  private isFresh(lastUsedAt: number | null, now: number): boolean {
    return lastUsedAt !== null && now - lastUsedAt < this.sessionPolicy.touchEveryMs;
  }

  /**
   * One answer (undefined) for a garbled key, an unknown id, a wrong secret, a revoked or
   * expired key and a removed creator, so a caller learns nothing about which part was
   * wrong. An unknown id still costs one hash comparison, like a known one; a kept key's
   * secret is compared on every request, as a read one's is.
   */
  private async authenticateKey(token: string, generation: number): Promise<Identity | undefined> {
    const id = apiKeyId(token);
    const now = this.now();
    const kept = id === undefined ? undefined : this.keys.get(id, generation);
    const found =
      kept && this.isFresh(kept.key.lastUsedAt, now) && now < kept.key.expiresAt
        ? kept
        : id === undefined
          ? undefined
          : await this.store.findApiKey(id);
    const matches = apiKeyMatches(token, found?.key.secretHash ?? UNUSED_HASH);
    if (!found || !matches) return undefined;
    const { key, user } = found;
    if (now >= key.expiresAt) return undefined;
    if (found !== kept) {
      if (!this.isFresh(key.lastUsedAt, now)) {
        await this.store.touchApiKey(key.id, now);
        key.lastUsedAt = now;
      }
      this.keys.set(key.id, found, generation);
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
