/**
 * A problem found in a user's file, located precisely enough for an editor squiggle
 * and for a terminal line `file:line:col field: message`.
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Path as the user should see it (repo-relative where known, forward slashes). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units as editors count them (a BOM does not count). */
  column: number;
  /** Dotted field path, e.g. `workspaces.support.members.bob` or `messages[0].role`; '' when the problem is the file as a whole. */
  field: string;
  message: string;
  severity: Severity;
  /** A did-you-mean as data, for editors' quick fixes: the text at this position and what it most likely meant. */
  suggestion?: Suggestion;
}

export interface Suggestion {
  replace: string;
  with: string;
}

/** `file:line:col field: message`, the one textual form used by the CLI and in errors. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  const warn = d.severity === 'warning' ? 'warning: ' : '';
  return d.field ? `${where} ${d.field}: ${warn}${d.message}` : `${where} ${warn}${d.message}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Thrown where a caller asked for a value and the input could not give one. */
export class LocatedError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n') || 'invalid input');
    this.name = 'LocatedError';
  }
}

/** Field paths as users read them: `a.b[0].c`; keys that are not identifiers are quoted. */
export function fieldPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
