import { hasErrors, type Diagnostic } from '../diagnostics';
import { runToEnd, type Steps } from '../steps';
import { TextPositions } from '../textPositions';
import { YamlSource } from '../yamlSource';
import { ACCESS_FILE_PATH, type AccessPolicy } from './accessPolicy';
import { validateAccessFile } from './accessSchema';
import { normalizeAccessPolicy } from './normalizeAccessPolicy';
import { schemaDiagnostics } from './schemaDiagnostics';
import { semanticDiagnostics } from './semanticChecks';
import { readYamlData } from './yamlData';

/**
 * Larger access files are refused before parsing: a real one is a few KB, and the server
 * parses files that clients upload, so an unbounded parse would be a cheap denial of service.
 */
export const MAX_ACCESS_FILE_LENGTH = 1024 * 1024;

export interface ParsedAccessFile {
  /** Present only when `diagnostics` holds no error. */
  policy?: AccessPolicy;
  /** Every problem found, in file order; warnings may accompany a policy. */
  diagnostics: Diagnostic[];
}

/**
 * Parses and validates the text of `.promptops/access.yaml`. Never throws: every problem
 * (YAML syntax, shape, unknown roles, cycles, environments, globs) comes back as a
 * located diagnostic, all of them at once.
 */
export function parseAccessFile(text: string, file: string = ACCESS_FILE_PATH): ParsedAccessFile {
  return runToEnd(parseAccessFileInSteps(text, file));
}

/** The same, pausing between its stages and within the YAML parse (see `Steps`). */
export function* parseAccessFileInSteps(text: string, file: string = ACCESS_FILE_PATH): Steps<ParsedAccessFile> {
  try {
    return yield* parse(text, file);
  } catch (e) {
    // Nothing above should throw; if something does (a parser bug, a stack overflow on
    // absurd nesting) the caller still gets a diagnostic rather than a crash.
    return { diagnostics: [wholeFile(file, `could not be read: ${(e as Error).message}`)] };
  }
}

function* parse(text: string, file: string): Steps<ParsedAccessFile> {
  if (text.length > MAX_ACCESS_FILE_LENGTH) {
    const size = (text.length / (1024 * 1024)).toFixed(1);
    return { diagnostics: [wholeFile(file, `is too large (${size} MB); an access file may be at most 1 MB`)] };
  }
  const source = yield* YamlSource.inSteps(file, text, new TextPositions(text));
  yield;
  // After a syntax error the data is a guess; checking it would only add noise.
  if (hasErrors(source.diagnostics)) return { diagnostics: inFileOrder(source.diagnostics) };
  if (source.doc.contents === null) {
    return {
      diagnostics: inFileOrder([
        ...source.diagnostics,
        wholeFile(file, 'the access file is empty; it needs at least "version: 1"'),
      ]),
    };
  }
  const read = readYamlData(source);
  if (read.data === undefined) return { diagnostics: inFileOrder([...source.diagnostics, ...read.diagnostics]) };
  yield;
  const { document, errors } = validateAccessFile(read.data);
  yield;
  const schema = schemaDiagnostics(source, read.data, errors);
  yield;
  const diagnostics = inFileOrder([...source.diagnostics, ...schema, ...semanticDiagnostics(source, read.data)]);
  if (document === undefined || hasErrors(diagnostics)) return { diagnostics };
  yield;
  return { policy: normalizeAccessPolicy(document), diagnostics };
}

function wholeFile(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, field: '', message, severity: 'error' };
}

/**
 * Sorted by position; where the schema and the semantic checks both object to the same
 * spot (say an env key that breaks the name pattern and is also undeclared), only the
 * first, the schema's, is kept: one message per spot reads better than two.
 */
function inFileOrder(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = `${d.line}:${d.column}:${d.field}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => a.line - b.line || a.column - b.column);
}
