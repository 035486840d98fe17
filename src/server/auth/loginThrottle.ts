import { normalizeIP } from '@fastify/rate-limit';
import type { Store } from '../store/store';

/**
 * Growing delays after repeated failed sign-ins, following OWASP's Authentication Cheat
 * Sheet: the tight limit is per account *and* client address, so failures from one
 * address never lock the owner out from another; each address also has a limit across
 * accounts (one guesser trying many names); and each account has a generous budget
 * across all addresses with a short cap, which slows a distributed guesser without ever
 * locking the account for long. Counters live in the store so every server process
 * sharing it sees them.
 */
export interface ThrottleRule {
  /** Failures allowed before any delay. */
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A quiet period after which the count starts over. */
  forgetAfterMs: number;
}

export interface LoginThrottlePolicy {
  /** One account from one address. */
  accountAddress: ThrottleRule;
  /** One address across all accounts; looser, as many people may share one address (an office NAT). */
  address: ThrottleRule;
  /** One account across all addresses: generous, with a short cap, so it never becomes a lockout. */
  account: ThrottleRule;
}

const HOUR = 60 * 60 * 1000;

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = {
  accountAddress: { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60 * 1000, forgetAfterMs: HOUR },
  address: { freeFailures: 20, baseDelayMs: 1000, maxDelayMs: 5 * 60 * 1000, forgetAfterMs: HOUR },
  account: { freeFailures: 50, baseDelayMs: 1000, maxDelayMs: 30 * 1000, forgetAfterMs: HOUR },
};

/** 0 up to `freeFailures`, then base, 2×base, 4×base … capped. */
export function delayAfter(failures: number, rule: ThrottleRule): number {
  const over = failures - rule.freeFailures;
  if (over <= 0) return 0;
  return Math.min(rule.baseDelayMs * 2 ** Math.min(over - 1, 30), rule.maxDelayMs);
}

/** Keys take the username as `normalizeUsername` made it, so every spelling of one account counts once. */
export function accountKey(username: string): string {
  return `account:${username}`;
}

export function addressKey(address: string): string {
  return `address:${address}`;
}

/** A space cannot occur in a username, so the pair is unambiguous. */
export function accountAddressKey(username: string, address: string): string {
  return `account-address:${username} ${address}`;
}

/**
 * One IPv6 host usually holds a whole /64, so it counts as one address (as in the
 * per-route rate limit); IPv4-mapped addresses count as their IPv4 address.
 */
export function throttledAddress(address: string): string {
  return normalizeIP(address);
}

export class LoginThrottle {
  constructor(
    private readonly store: Store,
    private readonly policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE,
  ) {}

  /** Milliseconds until this attempt may be made; 0 when it may go ahead now. `username` is normalised. */
  async retryAfterMs(username: string, clientAddress: string, now: number): Promise<number> {
    const address = throttledAddress(clientAddress);
    const rows = await this.store.getLoginThrottles([
      accountAddressKey(username, address),
      addressKey(address),
      accountKey(username),
    ]);
    return Math.max(0, ...rows.map((r) => r.blockedUntil - now));
  }

  async recordFailure(username: string, clientAddress: string, now: number): Promise<void> {
    const address = throttledAddress(clientAddress);
    await Promise.all([
      this.bump(accountAddressKey(username, address), now, this.policy.accountAddress),
      this.bump(addressKey(address), now, this.policy.address),
      this.bump(accountKey(username), now, this.policy.account),
    ]);
  }

  /**
   * Only the account from this address starts over on success. The address keeps
   * counting, or one valid account would let an attacker reset the counter between
   * guesses at others; the account-wide budget keeps counting, or the owner signing in
   * would hand a distributed guesser a fresh budget.
   */
  async recordSuccess(username: string, clientAddress: string): Promise<void> {
    await this.store.clearLoginThrottle(accountAddressKey(username, throttledAddress(clientAddress)));
  }

  private async bump(key: string, now: number, rule: ThrottleRule): Promise<void> {
    const failures = await this.store.addLoginFailure(key, now, now - rule.forgetAfterMs);
    const delay = delayAfter(failures, rule);
    if (delay > 0) await this.store.blockLogin(key, now + delay);
  }
}
