import type { Diagnostic } from '../diagnostics';
import { FORMAT_PARSERS } from './formatParsers';
import { formatForPath } from './promptFormat';
import { PromptFile } from './promptFile';
import type { PromptFormat, PromptParseResult } from './promptModel';

/** Prefix of the message reported if a parser ever throws; tests look for it. */
export const INTERNAL_ERROR_MESSAGE = 'internal error while reading this prompt file';

/**
 * Reads a prompt file of any supported format. Pure (path + text in, no I/O) and never
 * throws: every problem comes back as a Diagnostic located in the original text.
 * `format` overrides the format implied by the file name.
 */
export function parsePromptFile(path: string, text: string, format?: PromptFormat): PromptParseResult {
  const chosen = format ?? formatForPath(path);
  if (!chosen || !Object.hasOwn(FORMAT_PARSERS, chosen)) {
    return {
      diagnostics: [
        wholeFileError(path, 'not a prompt file: expected .prompt, .prompt.yml, .prompt.yaml, .prompty or .prompt.md'),
      ],
    };
  }
  try {
    const result = FORMAT_PARSERS[chosen](path, text);
    return {
      ...(result.parts ? { prompt: new PromptFile(path, chosen, result.parts) } : {}),
      diagnostics: result.diagnostics,
    };
  } catch (e) {
    // A bug must not take down an index of 10,000 files; it still shows, on this file.
    return {
      diagnostics: [wholeFileError(path, `${INTERNAL_ERROR_MESSAGE}: ${e instanceof Error ? e.message : String(e)}`)],
    };
  }
}

function wholeFileError(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, field: '', message, severity: 'error' };
}
