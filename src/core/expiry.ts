const DAY = 24 * 60 * 60 * 1000;

/**
 * `30d` (days from now) or an ISO date/time, as an ISO time; undefined leaves the server's
 * default. `field` names what was typed in the error (`api-keys create: --expires`).
 */
export function expiryFrom(
  value: string | undefined,
  now: number,
  field = 'api-keys create: --expires',
): string | undefined {
  if (value === undefined) return undefined;
  const days = /^(\d{1,3})d$/.exec(value);
  if (days) return new Date(now + Number(days[1]) * DAY).toISOString();
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new Error(`${field} "${value}" is neither a number of days (30d) nor a date`);
  return new Date(at).toISOString();
}
