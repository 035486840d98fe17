import { hasErrors, type Diagnostic } from '../diagnostics';
import { TextPositions } from '../textPositions';
import { YamlSource } from '../yamlSource';

/**
 * Reading fields of a machine-written YAML file (lock, directory) with located errors:
 * each reader checks one field and pushes a diagnostic pointing at it when it is wrong.
 */
export type FieldPath = readonly (string | number)[];

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A machine-written file read as a YAML map, or why it could not be. */
export type YamlMapReading =
  | { ok: true; data: Record<string, unknown>; reader: FieldReader }
  | { ok: false; diagnostics: Diagnostic[]; empty: boolean };

/**
 * Parses `text` and checks it is a map, never throwing: every problem is located in
 * `file`. `notAMap` words the complaint for any other value; with `allowEmpty` an empty
 * file is not a complaint but `empty: true`, so the caller decides what empty means.
 */
export function readYamlMap(
  text: string,
  file: string,
  notAMap: (found: string) => string,
  options: { allowEmpty?: boolean } = {},
): YamlMapReading {
  const source = new YamlSource(file, text, new TextPositions(text));
  if (hasErrors(source.diagnostics)) return { ok: false, diagnostics: source.diagnostics, empty: false };
  let data: unknown;
  try {
    data = source.toJS();
  } catch (e) {
    const message = `could not be read: ${(e as Error).message}`;
    return {
      ok: false,
      diagnostics: [...source.diagnostics, { file, line: 1, column: 1, field: '', message, severity: 'error' }],
      empty: false,
    };
  }
  const reader = new FieldReader(source);
  reader.diagnostics.push(...source.diagnostics);
  if (options.allowEmpty && (data === undefined || data === null))
    return { ok: false, diagnostics: reader.diagnostics, empty: true };
  if (!isPlainObject(data)) {
    reader.error([], notAMap(describe(data)));
    return { ok: false, diagnostics: reader.diagnostics, empty: false };
  }
  return { ok: true, data, reader };
}

export class FieldReader {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly source: YamlSource) {}

  error(path: FieldPath, message: string, at: 'key' | 'value' = 'value'): void {
    this.diagnostics.push(this.source.diagnostic(path, message, { at }));
  }

  warning(path: FieldPath, message: string): void {
    this.diagnostics.push(this.source.diagnostic(path, message, { at: 'key', severity: 'warning' }));
  }

  /** A required non-empty string that also passes `check` (which returns a complaint, or undefined). */
  string(
    object: Record<string, unknown>,
    path: FieldPath,
    key: string,
    check?: (value: string) => string | undefined,
  ): string | undefined {
    const value = object[key];
    if (value === undefined || value === null) {
      this.error(path, `missing field "${key}"`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.error([...path, key], `"${key}" must be a string, not ${describe(value)}`);
      return undefined;
    }
    if (value === '') {
      this.error([...path, key], `"${key}" must not be empty`);
      return undefined;
    }
    const problem = check?.(value);
    if (problem) {
      this.error([...path, key], problem);
      return undefined;
    }
    return value;
  }

  /** A required list of non-empty strings. */
  stringList(object: Record<string, unknown>, path: FieldPath, key: string): string[] | undefined {
    const value = object[key];
    if (value === undefined || value === null) {
      this.error(path, `missing field "${key}"`);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.error([...path, key], `"${key}" must be a list of names, not ${describe(value)}`);
      return undefined;
    }
    let ok = true;
    value.forEach((item, i) => {
      if (typeof item !== 'string' || item === '') {
        this.error([...path, key, i], `each entry of "${key}" must be a non-empty string, not ${describe(item)}`);
        ok = false;
      }
    });
    return ok ? (value as string[]) : undefined;
  }

  /** Warn about keys the format does not know (kept for newer writers, but never signed). */
  unknownKeys(object: Record<string, unknown>, path: FieldPath, known: readonly string[]): void {
    for (const key of Object.keys(object)) {
      if (!known.includes(key))
        this.warning([...path, key], `unknown field "${key}" is ignored (it is not covered by the signature)`);
    }
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${value.toString()}`;
  return typeof value;
}

/** Complaint about a repo-relative path that could point outside the repo, else undefined. */
export function repoPathProblem(path: string): string | undefined {
  if (path.includes('\\')) return 'use forward slashes in paths';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'the path must be relative to the repository root';
  if (path.split('/').some((s) => s === '' || s === '.' || s === '..'))
    return 'the path must not contain empty, "." or ".." segments';
  return undefined;
}

export function isoTimeProblem(value: string): string | undefined {
  const ok =
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/.test(value) && Number.isFinite(Date.parse(value));
  return ok ? undefined : `expected an ISO 8601 time like 2025-01-31T12:00:00.000Z, got ${JSON.stringify(value)}`;
}

export function keyIdProblem(value: string): string | undefined {
  return /^[0-9a-f]{8,64}$/.test(value)
    ? undefined
    : `expected a key id of lowercase hex digits, got ${JSON.stringify(value)}`;
}

export function signatureProblem(value: string): string | undefined {
  return /^[A-Za-z0-9+/]{86}==$/.test(value) ? undefined : 'expected a base64 Ed25519 signature (88 characters)';
}
