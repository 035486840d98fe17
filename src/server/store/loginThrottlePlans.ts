import { toThrottle, type ThrottleRow } from './accountRows';
import type { LoginThrottleRecord } from './records';
import { execute, selectRow, selectRows, type Plan } from './sqlPlan';

export function* getLoginThrottles(keys: readonly string[]): Plan<LoginThrottleRecord[]> {
  if (keys.length === 0) return [];
  const rows = yield* selectRows<ThrottleRow>(
    `SELECT * FROM login_throttle WHERE key IN (${keys.map(() => '?').join(', ')})`,
    ...keys,
  );
  return rows.map(toThrottle);
}

export function* addLoginFailure(key: string, now: number, resetBefore: number): Plan<number> {
  const row = yield* selectRow<{ failures: number }>(
    `INSERT INTO login_throttle (key, failures, last_failure_at, blocked_until) VALUES (?, 1, ?, 0)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN login_throttle.last_failure_at < ? THEN 1 ELSE login_throttle.failures + 1 END,
       last_failure_at = excluded.last_failure_at
     RETURNING failures`,
    key,
    now,
    resetBefore,
  );
  return row?.failures ?? 1;
}

export function* blockLogin(key: string, until: number): Plan<void> {
  // CASE rather than max()/GREATEST(), which the two dialects spell differently.
  yield* execute(
    'UPDATE login_throttle SET blocked_until = CASE WHEN blocked_until < ? THEN ? ELSE blocked_until END WHERE key = ?',
    until,
    until,
    key,
  );
}

export function* clearLoginThrottle(key: string): Plan<void> {
  yield* execute('DELETE FROM login_throttle WHERE key = ?', key);
}
