import picomatch from 'picomatch';

const OPENERS: Readonly<Record<string, string>> = { ']': '[', ')': '(', '}': '{' };

/**
 * How policy code matches path globs (compiledPolicy.ts, referenceDecide.ts): case-insensitive
 * and on NFC-normalised text, as case-insensitive disks behave, so `.PromptOps/access.yaml`
 * or a decomposed `é` cannot name the same file as a protected path yet escape its glob.
 */
const MATCH_OPTIONS = { dot: true, nocase: true } as const;

/** A matcher for repo-relative paths against any of `globs` (see MATCH_OPTIONS). */
export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const match = picomatch(
    globs.map((g) => g.normalize('NFC')),
    MATCH_OPTIONS,
  );
  return (path) => match(path.normalize('NFC'));
}

/** Whether two repo-relative paths name the same file on a case-insensitive, normalising disk. */
export function samePath(a: string, b: string): boolean {
  return a.normalize('NFC').toLowerCase() === b.normalize('NFC').toLowerCase();
}

/**
 * Why a path glob from the access file cannot be used, or undefined when it is fine.
 * Globs are matched against repo-relative paths with forward slashes, so anything that
 * could never match such a path (absolute, `..`, `./`, backslashes) is an error rather
 * than a rule that silently never applies.
 */
export function pathGlobProblem(glob: string): string | undefined {
  if (glob.trim() === '') return 'must not be empty';
  if (/^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(glob)) return 'must be relative to the repository root, not an absolute path';
  const segments = glob.split('/');
  if (segments.includes('..')) return 'must stay inside the repository (no ".." segments)';
  if (segments.includes('.')) {
    const cleaned = segments.filter((s) => s !== '.').join('/');
    return `must not contain "." segments${cleaned ? `; write "${cleaned}"` : ''}`;
  }
  // In picomatch a backslash escapes the next character; before a letter or digit it is
  // almost surely a Windows path separator, which would never match.
  if (/\\[A-Za-z0-9_.-]/.test(glob)) return 'use "/" to separate folders, not "\\"';
  try {
    picomatch.makeRe(glob, { ...MATCH_OPTIONS, strictBrackets: true });
  } catch (e) {
    const unclosed = /^Missing closing: "(.)"/.exec((e as Error).message)?.[1];
    const opener = unclosed ? OPENERS[unclosed] : undefined;
    if (opener)
      return `is not a valid glob: "${opener}" is never closed (write "\\${opener}" to match a literal "${opener}")`;
    return `is not a valid glob: ${(e as Error).message}`;
  }
  return undefined;
}
