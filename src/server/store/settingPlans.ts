import { execute, selectRow, type Plan } from './sqlPlan';

/** Set once in `settings` when the first-start admin is created. */
export const INITIAL_ADMIN_MARKER = 'bootstrap.initial_admin_created';

export function* getSetting(key: string): Plan<string | undefined> {
  return (yield* selectRow<{ value: string }>('SELECT value FROM settings WHERE key = ?', key))?.value;
}

/** True when the value was stored now (no value was there). */
export function* insertSettingIfAbsent(key: string, value: string): Plan<boolean> {
  return (
    (yield* execute('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', key, value)) > 0
  );
}

export function* putSettingIfAbsent(key: string, value: string): Plan<string> {
  yield* insertSettingIfAbsent(key, value);
  return (yield* getSetting(key)) ?? value;
}

export function* nextCounter(key: string): Plan<number> {
  const row = yield* selectRow<{ value: string }>(
    `INSERT INTO settings (key, value) VALUES (?, '1')
     ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT) RETURNING value`,
    key,
  );
  return Number(row?.value);
}
