/**
 * The one form of a username that is stored, looked up, compared and used as a throttle
 * key, so SQLite, PostgreSQL (whose `lower()` depends on the collation) and the server
 * always agree on which account a typed name means.
 *
 * Unicode NFKC first (the Kelvin sign U+212A becomes `K`, full-width letters become
 * ASCII), then a locale-independent full case fold: `toUpperCase().toLowerCase()` uses
 * Unicode's default mappings, never the host's locale, and folds `ß` to `ss` like
 * Unicode's full case folding does; `İ` (U+0130) becomes `i` + U+0307, so `İvica` is not
 * `ivica` (the Turkish-locale rule never applies). NFKC again, as case mapping can leave
 * a string that is not normalised (Unicode's NFKC_Casefold does the same). Surrounding
 * whitespace is dropped: it is never part of a name and only comes from copy and paste.
 */
export function normalizeUsername(username: string): string {
  return username.trim().normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}
