/** How long sessions live. Idle: since the last request; absolute: since sign-in. */
export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
  /** last_used_at is rewritten at most this often, so reads do not turn into writes. */
  touchEveryMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 12 * 60 * 60 * 1000,
  absoluteMs: 7 * 24 * 60 * 60 * 1000,
  touchEveryMs: 60 * 1000,
};

export function isSessionExpired(
  session: { lastUsedAt: number; expiresAt: number },
  now: number,
  policy: SessionPolicy,
): boolean {
  return now >= session.expiresAt || now - session.lastUsedAt >= policy.idleMs;
}
