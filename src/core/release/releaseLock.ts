import { hasErrors, LocatedError, type Diagnostic } from '../diagnostics';
import { readCanonicalLock } from './canonicalLockReader';
import { RELEASE_FIELD_PROBLEMS } from './releaseFieldProblems';
import { compareReleases, releaseLockText } from './releaseLockFormat';
import { pickSignedRelease, SIGNED_RELEASE_FIELDS, type SignedRelease } from './releaseRecordSchema';
import { FieldReader, readYamlMap, isPlainObject, describe } from './yamlFields';

export const RELEASE_LOCK_PATH = '.promptops/published.yaml';

/** One entry of the lock, with where it stands in the file (for messages). */
export interface LockEntry {
  release: SignedRelease;
  line: number;
  column: number;
}

export interface ParsedReleaseLock {
  /** Present when `diagnostics` holds no error; entries in file order. */
  entries?: LockEntry[];
  diagnostics: Diagnostic[];
}

const ENTRY_FIELDS: readonly string[] = SIGNED_RELEASE_FIELDS.map((f) => f.name);

/**
 * Reads `.promptops/published.yaml`. Never throws; every problem is a located diagnostic.
 * An empty file is an empty lock.
 */
export function parseReleaseLock(text: string, file: string = RELEASE_LOCK_PATH): ParsedReleaseLock {
  const canonical = readCanonicalLock(text);
  if (canonical)
    return { entries: canonical.map((e) => ({ release: e.release, line: e.line, column: 5 })), diagnostics: [] };
  const read = readYamlMap(
    text,
    file,
    (found) => `the release lock must be a map with "version" and "releases", not ${found}`,
    { allowEmpty: true },
  );
  if (!read.ok) return read.empty ? { entries: [], diagnostics: read.diagnostics } : { diagnostics: read.diagnostics };
  const { data, reader } = read;
  if (data.version !== 1)
    reader.error(
      data.version === undefined ? [] : ['version'],
      data.version === undefined
        ? 'missing field "version" (expected 1)'
        : `unsupported version ${JSON.stringify(data.version)}; this PromptOps reads version 1`,
    );
  reader.unknownKeys(data, [], ['version', 'releases']);

  const entries: LockEntry[] = [];
  const releases = data.releases ?? [];
  if (!Array.isArray(releases)) reader.error(['releases'], `"releases" must be a list, not ${describe(releases)}`);
  else {
    const seen = new Map<string, number>();
    releases.forEach((item: unknown, i) => {
      const path = ['releases', i] as const;
      if (!isPlainObject(item)) {
        reader.error(path, `each release must be a map, not ${describe(item)}`);
        return;
      }
      const release = readRelease(reader, item, path);
      if (!release) return;
      const key = `${release.path}\0${release.env}`;
      const first = seen.get(key);
      if (first !== undefined) {
        reader.error(
          [...path, 'path'],
          `a second entry for ${release.path} in ${release.env} (the first is releases[${first}]); keep one entry per path and env`,
        );
        return;
      }
      seen.set(key, i);
      const where = reader.source.locate(path);
      entries.push({ release, line: where.line, column: where.column });
    });
  }
  return hasErrors(reader.diagnostics)
    ? { diagnostics: reader.diagnostics }
    : { entries, diagnostics: reader.diagnostics };
}

function readRelease(
  reader: FieldReader,
  item: Record<string, unknown>,
  path: readonly (string | number)[],
): SignedRelease | undefined {
  const before = reader.diagnostics.length;
  const release: Record<string, string | string[]> = {};
  for (const field of SIGNED_RELEASE_FIELDS) {
    if (field.optional && item[field.name] === undefined) continue;
    release[field.name] = field.list
      ? (reader.stringList(item, path, field.name) ?? [])
      : (reader.string(item, path, field.name, RELEASE_FIELD_PROBLEMS[field.name]) ?? '');
  }
  reader.unknownKeys(item, path, ENTRY_FIELDS);
  return hasErrors(reader.diagnostics.slice(before)) ? undefined : (release as unknown as SignedRelease);
}

/** Entries sorted by path, then env (code unit order, the same on every machine). */
export function sortReleases(releases: readonly SignedRelease[]): SignedRelease[] {
  return [...releases].sort(compareReleases);
}

/** The lock file's text for these releases (releaseLockFormat.ts): sorted, one field per line. */
export function serializeReleaseLock(releases: readonly SignedRelease[]): string {
  return releaseLockText(sortReleases(releases));
}

/**
 * The lock's new text with `release` added, or replacing the entry for the same path and
 * env. Every other entry keeps its exact lines (the file is always written canonically).
 * Throws a LocatedError when the current text is not a valid lock: publishing must not
 * paper over a damaged file.
 */
export function upsertRelease(lockText: string | undefined, release: SignedRelease): string {
  const parsed = parseReleaseLock(lockText ?? '');
  if (!parsed.entries) throw new LocatedError(parsed.diagnostics.filter((d) => d.severity === 'error'));
  const next = pickSignedRelease(release);
  const others = parsed.entries.map((e) => e.release).filter((r) => !(r.path === next.path && r.env === next.env));
  return serializeReleaseLock([...others, next]);
}

/** The lock's new text without the entry for `path` and `env` (unchanged when there is none). Throws on a damaged lock. */
export function removeRelease(lockText: string | undefined, path: string, env: string): string {
  const parsed = parseReleaseLock(lockText ?? '');
  if (!parsed.entries) throw new LocatedError(parsed.diagnostics.filter((d) => d.severity === 'error'));
  return serializeReleaseLock(parsed.entries.map((e) => e.release).filter((r) => !(r.path === path && r.env === env)));
}

export function findRelease(entries: readonly LockEntry[], path: string, env: string): LockEntry | undefined {
  return entries.find((e) => e.release.path === path && e.release.env === env);
}
