import type { Store } from '../store/store';

/**
 * Growing delays after repeated failed sign-ins, per account and per client address.
 * Counters live in the store so every server process sharing it sees them.
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
  account: ThrottleRule;
  /** Looser: many people may share one address (an office NAT). */
  address: ThrottleRule;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = {
  account: { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 5 * 60 * 1000, forgetAfterMs: 60 * 60 * 1000 },
  address: { freeFailures: 20, baseDelayMs: 1000, maxDelayMs: 5 * 60 * 1000, forgetAfterMs: 60 * 60 * 1000 },
};

/** 0 up to `freeFailures`, then base, 2×base, 4×base … capped. */
export function delayAfter(failures: number, rule: ThrottleRule): number {
  const over = failures - rule.freeFailures;
  if (over <= 0) return 0;
  return Math.min(rule.baseDelayMs * 2 ** Math.min(over - 1, 30), rule.maxDelayMs);
}

export function accountKey(username: string): string {
  return `account:${username.trim().toLowerCase()}`;
}

export function addressKey(address: string): string {
  return `address:${address}`;
}

export class LoginThrottle {
  constructor(
    private readonly store: Store,
    private readonly policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE,
  ) {}

  /** Milliseconds until this attempt may be made; 0 when it may go ahead now. */
  async retryAfterMs(username: string, address: string, now: number): Promise<number> {
    const rows = await this.store.getLoginThrottles([accountKey(username), addressKey(address)]);
    return Math.max(0, ...rows.map((r) => r.blockedUntil - now));
  }

  async recordFailure(username: string, address: string, now: number): Promise<void> {
    await Promise.all([
      this.bump(accountKey(username), now, this.policy.account),
      this.bump(addressKey(address), now, this.policy.address),
    ]);
  }

  /**
   * Only the account starts over on success; the address keeps counting, or one valid
   * account would let an attacker reset the counter between guesses at others.
   */
  async recordSuccess(username: string): Promise<void> {
    await this.store.clearLoginThrottle(accountKey(username));
  }

  private async bump(key: string, now: number, rule: ThrottleRule): Promise<void> {
    const failures = await this.store.addLoginFailure(key, now, now - rule.forgetAfterMs);
    const delay = delayAfter(failures, rule);
    if (delay > 0) await this.store.blockLogin(key, now + delay);
  }
}
