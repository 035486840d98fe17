import { isSha256Hex } from './contentHash';
import { RELEASE_RECORD_FIELDS, type SignedRelease } from './releaseRecord';
import { isoTimeProblem, keyIdProblem, repoPathProblem, signatureProblem } from './yamlFields';

/**
 * A fast reader for the exact text serializeReleaseLock writes. A lock of 10,000 entries
 * takes the general YAML parser over a second; this takes a few milliseconds. It accepts
 * a text only if every entry is valid and re-serializing what it read gives back the very
 * same text, so it can never disagree with the YAML reading; anything else (hand edits,
 * other formatting, any problem) returns undefined and the caller takes the slow, located
 * path.
 */
export function readCanonicalLock(
  text: string,
  serialize: (releases: readonly SignedRelease[]) => string,
): { release: SignedRelease; line: number }[] | undefined {
  const lines = text.split('\n');
  let i = 0;
  while (lines[i]?.startsWith('#')) i++;
  if (lines[i++] !== 'version: 1') return undefined;
  const entries: { release: SignedRelease; line: number }[] = [];
  if (lines[i] === 'releases: []') return text === serialize([]) ? [] : undefined;
  if (lines[i++] !== 'releases:') return undefined;
  const fields = [...RELEASE_RECORD_FIELDS, 'signature'] as const;
  const seen = new Set<string>();
  while (i < lines.length && lines[i] !== '') {
    const line = i + 1;
    const values: Record<string, string | string[]> = {};
    for (let f = 0; f < fields.length; f++, i++) {
      if (fields[f] === 'signature' && lines[i]?.startsWith(EVALUATION_PREFIX)) {
        const digest = scalar(lines[i].slice(EVALUATION_PREFIX.length));
        if (digest === undefined || !isSha256Hex(digest)) return undefined;
        values.evaluation = digest;
        i++;
      }
      const prefix = `${f === 0 ? '  - ' : '    '}${fields[f]}: `;
      const raw = lines[i];
      if (raw === undefined || !raw.startsWith(prefix)) return undefined;
      const value = fields[f] === 'approvers' ? flowList(raw.slice(prefix.length)) : scalar(raw.slice(prefix.length));
      if (value === undefined) return undefined;
      values[fields[f]] = value;
    }
    const release = values as unknown as SignedRelease;
    if (!isValid(release)) return undefined;
    const key = `${release.path}\0${release.env}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    entries.push({ release, line });
  }
  return serialize(entries.map((e) => e.release)) === text ? entries : undefined;
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
