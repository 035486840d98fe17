import { SIGNED_RELEASE_FIELDS, type ReleaseFieldShape, type SignedRelease } from './releaseRecordSchema';
import { yamlFlowList, yamlScalar } from './yamlScalar';

/**
 * The exact text of `.promptops/published.yaml`, in one place: serializeReleaseLock writes
 * it, readCanonicalLock accepts nothing else. A header, then per entry one line per field
 * of the signed release in the definition's order (an absent optional field has no line),
 * sorted by path then env, so two publishes of different prompts touch different lines and
 * merge cleanly in git.
 */
export const LOCK_HEADER: readonly string[] = [
  '# PromptOps release lock: one signed entry per published prompt and env.',
  '# Written by `promptops publish`; do not edit by hand: `promptops verify` checks every hash and signature.',
  'version: 1',
];
export const RELEASES_LINE = 'releases:';
export const NO_RELEASES_LINE = 'releases: []';

/** A field's line in an entry: `prefix` then its value as `lockValue` writes it. */
export interface LockFieldLine extends ReleaseFieldShape {
  prefix: string;
}

/** The first field (`path`, required) opens the entry as a list item. */
export const LOCK_FIELD_LINES: readonly LockFieldLine[] = SIGNED_RELEASE_FIELDS.map((field, i) => ({
  ...field,
  prefix: `${i === 0 ? '  - ' : '    '}${field.name}: `,
}));

/** A value as its line writes it: a flow list for a list field, a scalar for any other. */
export function lockValue(field: ReleaseFieldShape, value: string | readonly string[]): string {
  return field.list ? yamlFlowList(value as readonly string[]) : yamlScalar(value as string);
}

/** The order of entries: by path, then env (code unit order, the same on every machine). */
export function compareReleases(a: SignedRelease, b: SignedRelease): number {
  return compare(a.path, b.path) || compare(a.env, b.env);
}

/** The lock's text for releases already in compareReleases' order. */
export function releaseLockText(sorted: readonly SignedRelease[]): string {
  const lines = [...LOCK_HEADER];
  if (sorted.length === 0) lines.push(NO_RELEASES_LINE);
  else {
    lines.push(RELEASES_LINE);
    for (const release of sorted) {
      const values = release as Partial<Record<string, string | string[]>>;
      for (const field of LOCK_FIELD_LINES) {
        const value = values[field.name];
        if (value !== undefined) lines.push(`${field.prefix}${lockValue(field, value)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
