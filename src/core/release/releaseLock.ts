import { hasErrors, LocatedError, type Diagnostic } from '../diagnostics';
import { readCanonicalLock } from './canonicalLockReader';
import { isSha256Hex } from './contentHash';
import { pickRecord, RELEASE_RECORD_FIELDS, type SignedRelease } from './releaseRecord';
import {
  FieldReader,
  readYamlMap,
  isoTimeProblem,
  isPlainObject,
  keyIdProblem,
  repoPathProblem,
  signatureProblem,
  describe,
} from './yamlFields';
import { yamlFlowList, yamlScalar } from './yamlScalar';

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

const ENTRY_FIELDS: readonly string[] = [...RELEASE_RECORD_FIELDS, 'evaluation', 'signature'];

const HEADER = [
  '# PromptOps release lock: one signed entry per published prompt and env.',
  '# Written by `promptops publish`; do not edit by hand: `promptops verify` checks every hash and signature.',
];

/**
 * Reads `.promptops/published.yaml`. Never throws; every problem is a located diagnostic.
 * An empty file is an empty lock.
 */
export function parseReleaseLock(text: string, file: string = RELEASE_LOCK_PATH): ParsedReleaseLock {
  const canonical = readCanonicalLock(text, serializeReleaseLock);
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
  const text = (key: string, check?: (v: string) => string | undefined) => reader.string(item, path, key, check) ?? '';
  const release: SignedRelease = {
    path: text('path', repoPathProblem),
    env: text('env'),
    name: text('name'),
    workspace: text('workspace'),
    sha256: text('sha256', (v) =>
      isSha256Hex(v) ? undefined : 'expected the sha256 of the file as 64 lowercase hex digits',
    ),
    reviewId: text('reviewId'),
    author: text('author'),
    approvers: reader.stringList(item, path, 'approvers') ?? [],
    publisher: text('publisher'),
    publishedAt: text('publishedAt', isoTimeProblem),
    keyId: text('keyId', keyIdProblem),
    signature: text('signature', signatureProblem),
  };
  if (item.evaluation !== undefined)
    release.evaluation = text('evaluation', (v) =>
      isSha256Hex(v) ? undefined : 'expected the digest of the evaluation run as 64 lowercase hex digits',
    );
  reader.unknownKeys(item, path, ENTRY_FIELDS);
  return hasErrors(reader.diagnostics.slice(before)) ? undefined : release;
}

/** Entries sorted by path, then env (code unit order, the same on every machine). */
export function sortReleases(releases: readonly SignedRelease[]): SignedRelease[] {
  return [...releases].sort((a, b) => compare(a.path, b.path) || compare(a.env, b.env));
}

/**
 * The lock file's text for these releases: sorted, one field per line, in a fixed order,
 * so two publishes of different prompts touch different lines and merge cleanly in git.
 */
export function serializeReleaseLock(releases: readonly SignedRelease[]): string {
  const lines = [...HEADER, 'version: 1'];
  const sorted = sortReleases(releases);
  if (sorted.length === 0) lines.push('releases: []');
  else {
    lines.push('releases:');
    for (const r of sorted) {
      RELEASE_RECORD_FIELDS.forEach((field, i) => {
        const value = field === 'approvers' ? yamlFlowList(r.approvers) : yamlScalar(r[field]);
        lines.push(`${i === 0 ? '  - ' : '    '}${field}: ${value}`);
      });
      if (r.evaluation !== undefined) lines.push(`    evaluation: ${yamlScalar(r.evaluation)}`);
      lines.push(`    signature: ${yamlScalar(r.signature)}`);
    }
  }
  return `${lines.join('\n')}\n`;
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
  const next: SignedRelease = { ...pickRecord(release), signature: release.signature };
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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
