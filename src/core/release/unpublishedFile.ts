import { hasErrors, LocatedError, type Diagnostic } from '../diagnostics';
import { isSha256Hex } from './contentHash';
import type { TrustedKeys } from './lockEntryVerdict';
import { verifyUnpublishSignature, type SignedUnpublish, type UnpublishRecord } from './unpublishRecord';
import { SIGNED_UNPUBLISH_FIELDS } from './unpublishRecordSchema';
import {
  describe,
  isoTimeProblem,
  isPlainObject,
  keyIdProblem,
  readYamlMap,
  repoPathProblem,
  signatureProblem,
} from './yamlFields';
import { yamlScalar } from './yamlScalar';

/**
 * `.promptops/unpublished.yaml`, beside the release lock: the server-signed record of the
 * last unpublish of each path and env. Records are never removed (a later publish of the
 * path is simply newer than its record), so no one can take one away to bring a retired
 * release back.
 */
export const UNPUBLISHED_PATH = '.promptops/unpublished.yaml';

/** What a valid value of a field is, beyond a non-empty string: a complaint, else undefined. */
const FIELD_PROBLEMS: { readonly [F in keyof SignedUnpublish]?: (value: string) => string | undefined } = {
  path: repoPathProblem,
  sha256: (v) => (isSha256Hex(v) ? undefined : 'expected 64 lowercase hex digits'),
  publishedAt: isoTimeProblem,
  unpublishedAt: isoTimeProblem,
  keyId: keyIdProblem,
  signature: signatureProblem,
};

export interface ParsedUnpublished {
  records?: { record: SignedUnpublish; line: number }[];
  diagnostics: Diagnostic[];
}

/** Never throws; an empty or absent file has no records. */
export function parseUnpublished(text: string, file: string = UNPUBLISHED_PATH): ParsedUnpublished {
  const read = readYamlMap(
    text,
    file,
    (found) => `the unpublish file must be a map with "version" and "unpublished", not ${found}`,
    { allowEmpty: true },
  );
  if (!read.ok) return read.empty ? { records: [], diagnostics: read.diagnostics } : { diagnostics: read.diagnostics };
  const { data, reader } = read;
  if (data.version !== 1) reader.error(data.version === undefined ? [] : ['version'], 'expected "version: 1"');
  reader.unknownKeys(data, [], ['version', 'unpublished']);
  const records: { record: SignedUnpublish; line: number }[] = [];
  const list = data.unpublished ?? [];
  if (!Array.isArray(list)) reader.error(['unpublished'], `"unpublished" must be a list, not ${describe(list)}`);
  else {
    const seen = new Set<string>();
    list.forEach((item: unknown, i) => {
      const path = ['unpublished', i] as const;
      if (!isPlainObject(item)) return reader.error(path, `each record must be a map, not ${describe(item)}`);
      const before = reader.diagnostics.length;
      const record = Object.fromEntries(
        SIGNED_UNPUBLISH_FIELDS.map((f) => [f, reader.string(item, path, f, FIELD_PROBLEMS[f]) ?? '']),
      ) as SignedUnpublish;
      reader.unknownKeys(item, path, SIGNED_UNPUBLISH_FIELDS);
      if (hasErrors(reader.diagnostics.slice(before))) return;
      const key = `${record.path}\0${record.env}`;
      if (seen.has(key))
        return reader.error([...path, 'path'], `a second record for ${record.path} in ${record.env}; keep one`);
      seen.add(key);
      records.push({ record, line: reader.source.locate(path).line });
    });
  }
  return hasErrors(reader.diagnostics)
    ? { diagnostics: reader.diagnostics }
    : { records, diagnostics: reader.diagnostics };
}

export function serializeUnpublished(records: readonly SignedUnpublish[]): string {
  const lines = [
    '# PromptOps unpublish records: the server-signed retirement of a prompt from an env.',
    '# Written by `promptops unpublish`; never remove a record: `promptops verify` needs it for each removed lock entry.',
    'version: 1',
  ];
  const sorted = [...records].sort((a, b) => cmp(a.path, b.path) || cmp(a.env, b.env));
  if (sorted.length === 0) lines.push('unpublished: []');
  else {
    lines.push('unpublished:');
    for (const r of sorted)
      SIGNED_UNPUBLISH_FIELDS.forEach((f, i) => lines.push(`${i === 0 ? '  - ' : '    '}${f}: ${yamlScalar(r[f])}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The file with `record` added, replacing an earlier record for its path and env. Throws on a damaged file. */
export function upsertUnpublish(text: string | undefined, record: SignedUnpublish): string {
  const parsed = parseUnpublished(text ?? '');
  if (!parsed.records) throw new LocatedError(parsed.diagnostics.filter((d) => d.severity === 'error'));
  const others = parsed.records.map((r) => r.record).filter((r) => !(r.path === record.path && r.env === record.env));
  return serializeUnpublished([...others, record]);
}

export interface TrustedUnpublishes {
  /** Records signed by a trusted key, by `path\0env`. */
  records: Map<string, SignedUnpublish>;
  /** Malformed file, unknown key or bad signature: one sentence each, with the file and line. */
  problems: { file: string; reason: string }[];
}

/** The file's records that a trusted key signed; every other record is a problem and vouches for nothing. */
export function trustedUnpublishes(text: string | undefined, trusted: TrustedKeys): TrustedUnpublishes {
  const out: TrustedUnpublishes = { records: new Map(), problems: [] };
  if (text === undefined) return out;
  const parsed = parseUnpublished(text);
  for (const d of parsed.diagnostics.filter((x) => x.severity === 'error'))
    out.problems.push({ file: `${d.file}:${d.line}:${d.column}`, reason: d.message });
  for (const { record, line } of parsed.records ?? []) {
    const key = trusted.get(record.keyId);
    const at = `${UNPUBLISHED_PATH}:${line}`;
    if (!key)
      out.problems.push({
        file: at,
        reason: `the unpublish record of ${record.path} in ${record.env} names signing key ${record.keyId}, which is not trusted: it was not issued by this server`,
      });
    else if (!verifyUnpublishSignature(record, key))
      out.problems.push({
        file: at,
        reason: `the unpublish record of ${record.path} in ${record.env} has a signature that does not verify against key ${record.keyId}: it was edited or forged`,
      });
    else out.records.set(`${record.path}\0${record.env}`, record);
  }
  return out;
}

export type { SignedUnpublish, UnpublishRecord };

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
