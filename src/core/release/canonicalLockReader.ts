import { RELEASE_FIELD_PROBLEMS } from './releaseFieldProblems';
import {
  compareReleases,
  LOCK_FIELD_LINES,
  LOCK_HEADER,
  lockValue,
  NO_RELEASES_LINE,
  RELEASES_LINE,
} from './releaseLockFormat';
import type { SignedRelease } from './releaseRecordSchema';
import { readYamlFlowList, readYamlScalar } from './yamlScalar';

/**
 * A fast reader for the exact text serializeReleaseLock writes (releaseLockFormat.ts). A
 * lock of 10,000 entries takes the general YAML parser over a second; this, about a tenth
 * of that. It accepts a text only if every entry is valid and each line is exactly the one
 * the format writes for its value, entries in its order, nothing after, so it can never
 * disagree with the YAML reading; anything else (hand edits, other formatting, any problem)
 * returns undefined and the caller takes the slow, located path.
 */
export function readCanonicalLock(text: string): { release: SignedRelease; line: number }[] | undefined {
  const lines = text.split('\n');
  for (let h = 0; h < LOCK_HEADER.length; h++) if (lines[h] !== LOCK_HEADER[h]) return undefined;
  let i = LOCK_HEADER.length;
  if (lines[i] === NO_RELEASES_LINE && i === lines.length - 2 && lines[i + 1] === '') return [];
  if (lines[i++] !== RELEASES_LINE) return undefined;
  const entries: { release: SignedRelease; line: number }[] = [];
  let previous: SignedRelease | undefined;
  while (i < lines.length && lines[i] !== '') {
    const line = i + 1;
    const values: Record<string, string | string[]> = {};
    for (const field of LOCK_FIELD_LINES) {
      const raw = lines[i];
      if (raw === undefined || !raw.startsWith(field.prefix)) {
        if (field.optional) continue;
        return undefined;
      }
      const written = raw.slice(field.prefix.length);
      const value = field.list ? readYamlFlowList(written) : readYamlScalar(written);
      if (value === undefined || lockValue(field, value) !== written) return undefined;
      values[field.name] = value;
      i++;
    }
    if (!isValid(values)) return undefined;
    const release = values as unknown as SignedRelease;
    // Strictly increasing in the format's order: sorted, each path and env once.
    if (previous && compareReleases(previous, release) >= 0) return undefined;
    previous = release;
    entries.push({ release, line });
  }
  // One line break after the last entry, nothing else.
  return entries.length > 0 && i === lines.length - 1 ? entries : undefined;
}

/** What the general reader accepts without an error: non-empty values, each passing its field's check. */
function isValid(values: Record<string, string | string[]>): boolean {
  return LOCK_FIELD_LINES.every((field) => {
    const value = values[field.name];
    if (value === undefined) return field.optional;
    if (Array.isArray(value)) return value.every((v) => v !== '');
    return value !== '' && !RELEASE_FIELD_PROBLEMS[field.name]?.(value);
  });
}
