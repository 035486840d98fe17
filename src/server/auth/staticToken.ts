import { timingSafeEqual } from 'node:crypto';
import { tokenDigest } from './sessionTokens';

export const DEFAULT_STATIC_TOKEN = 'promptops-dev-token';
/** Off loopback the token must be at least this long: 32 random characters are far beyond guessing. */
export const MIN_STATIC_TOKEN_LENGTH = 32;

/**
 * `PROMPTOPS_TOKEN`: always an admin identity. Compared in constant time on sha256
 * digests, which have equal length whatever the input length.
 */
export class StaticToken {
  private readonly digest: Buffer;

  constructor(readonly value: string) {
    this.digest = tokenDigest(value);
  }

  get isDefault(): boolean {
    return this.value === DEFAULT_STATIC_TOKEN;
  }

  /** Shorter than `MIN_STATIC_TOKEN_LENGTH` (the default is also weak). */
  get isWeak(): boolean {
    return [...this.value].length < MIN_STATIC_TOKEN_LENGTH;
  }

  matches(candidate: string): boolean {
    return this.matchesDigest(tokenDigest(candidate));
  }

  /** The same check on a digest the caller already has (the authenticator hashes each token once). */
  matchesDigest(candidateDigest: Buffer): boolean {
    return candidateDigest.length === this.digest.length && timingSafeEqual(this.digest, candidateDigest);
  }
}
