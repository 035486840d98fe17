import { isSha256Hex } from './contentHash';
import { RELEASE_RECORD_FIELDS, type SignedRelease } from './releaseRecord';
import { isoTimeProblem, keyIdProblem, repoPathProblem, signatureProblem } from './yamlFields';
import { yamlFlowList, yamlScalar } from './yamlScalar';

/**
 * A fast reader for the exact text serializeReleaseLock writes. A lock of 10,000 entries
 * takes the general YAML parser over a second; this, about a tenth of that. It accepts a
 * text only if every entry is valid and serializing what it read gives back the very same
 * text (checked line by line: `serialize` gives the header, each value must be written as
 * serializeReleaseLock writes it, entries in its order), so it can never disagree with the
 * YAML reading; anything else (hand edits, other formatting, any problem) returns undefined
 * and the caller takes the slow, located path.
 */
export function readCanonicalLock(
  text: string,
  serialize: (releases: readonly SignedRelease[]) => string,
): { release: SignedRelease; line: number }[] | undefined {
  // The lock with no entries gives the exact header and the empty form.
  const empty = serialize([]);
  if (text === empty) return [];
  const header = empty.split('\n').slice(0, -2);
  const lines = text.split('\n');
  for (let h = 0; h < header.length; h++) if (lines[h] !== header[h]) return undefined;
  let i = header.length;
  if (lines[i++] !== 'releases:') return undefined;
  const entries: { release: SignedRelease; line: number }[] = [];
  let previous: SignedRelease | undefined;
  // Instead of serializing what was read and comparing the whole text: each line is exactly
  // the one serializeReleaseLock writes for its value, entries in its order, nothing after.
  while (i < lines.length && lines[i] !== '') {
    const line = i + 1;
    const values: Record<string, string | string[]> = {};
    for (let f = 0; f < FIELDS.length; f++, i++) {
      if (f === SIGNATURE && lines[i]?.startsWith(EVALUATION_PREFIX)) {
        const raw = lines[i].slice(EVALUATION_PREFIX.length);
        const digest = scalar(raw);
        if (digest === undefined || !isSha256Hex(digest) || yamlScalar(digest) !== raw) return undefined;
        values.evaluation = digest;
        i++;
      }
      const raw = lines[i];
      if (raw === undefined || !raw.startsWith(PREFIXES[f])) return undefined;
      const written = raw.slice(PREFIXES[f].length);
      if (f === APPROVERS) {
        const list = flowList(written);
        if (list === undefined || yamlFlowList(list) !== written) return undefined;
        values.approvers = list;
      } else {
        const value = scalar(written);
        if (value === undefined || yamlScalar(value) !== written) return undefined;
        values[FIELDS[f]] = value;
      }
    }
    const release = values as unknown as SignedRelease;
    if (!isValid(release)) return undefined;
    // Sorted by path then env, each pair once (sortReleases' order): strictly increasing.
    if (previous && !inOrder(previous, release)) return undefined;
    previous = release;
    entries.push({ release, line });
  }
  // One line break after the last entry, nothing else.
  return entries.length > 0 && i === lines.length - 1 ? entries : undefined;
}

const FIELDS = [...RELEASE_RECORD_FIELDS, 'signature'] as const;
const PREFIXES = FIELDS.map((field, f) => `${f === 0 ? '  - ' : '    '}${field}: `);
const APPROVERS = FIELDS.indexOf('approvers');
const SIGNATURE = FIELDS.indexOf('signature');

function inOrder(a: SignedRelease, b: SignedRelease): boolean {
  return a.path < b.path || (a.path === b.path && a.env < b.env);
}

/** The optional line between `keyId` and `signature`. */
const EVALUATION_PREFIX = '    evaluation: ';

function scalar(raw: string): string | undefined {
  if (!raw.startsWith('"')) return raw;
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function flowList(raw: string): string[] | undefined {
  if (!raw.startsWith('[') || !raw.endsWith(']')) return undefined;
  const inner = raw.slice(1, -1);
  if (inner === '') return [];
  const items: string[] = [];
  const token = /"(?:[^"\\]|\\.)*"|[^,"]+/y;
  let at = 0;
  for (;;) {
    token.lastIndex = at;
    const m = token.exec(inner);
    if (!m) return undefined;
    const v = scalar(m[0]);
    if (v === undefined) return undefined;
    items.push(v);
    at = token.lastIndex;
    if (at === inner.length) return items;
    if (!inner.startsWith(', ', at)) return undefined;
    at += 2;
  }
}

function isValid(r: SignedRelease): boolean {
  const strings = [
    r.path,
    r.env,
    r.name,
    r.workspace,
    r.sha256,
    r.reviewId,
    r.author,
    r.publisher,
    r.publishedAt,
    r.keyId,
    r.signature,
  ];
  return (
    strings.every((s) => typeof s === 'string' && s !== '') &&
    r.approvers.every((a) => a !== '') &&
    !repoPathProblem(r.path) &&
    isSha256Hex(r.sha256) &&
    !isoTimeProblem(r.publishedAt) &&
    !keyIdProblem(r.keyId) &&
    !signatureProblem(r.signature)
  );
}
