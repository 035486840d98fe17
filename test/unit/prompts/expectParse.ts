import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../src/core/diagnostics';
import {
  INTERNAL_ERROR_MESSAGE,
  parsePromptFile,
  type ParsedPrompt,
  type PromptFormat,
} from '../../../src/core/prompts';

/** Parses a file that must be valid: no errors, and it serializes back byte for byte. */
export function parseValid(path: string, text: string, format?: PromptFormat): ParsedPrompt {
  const result = parsePromptFile(path, text, format);
  assert.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error'),
    [],
    `${path} has errors`,
  );
  assert.ok(result.prompt, `${path} did not parse`);
  assert.equal(result.prompt.serialize(), text, `${path} does not round-trip`);
  return result.prompt;
}

/** The checks every diagnostic must pass, whatever the input. */
export function assertWellLocated(diagnostics: readonly Diagnostic[], path: string, text: string): void {
  const lineCount = countLines(text);
  for (const d of diagnostics) {
    assert.equal(d.file, path);
    assert.ok(Number.isInteger(d.line) && d.line >= 1 && d.line <= lineCount, `line ${d.line} outside 1..${lineCount}`);
    assert.ok(Number.isInteger(d.column) && d.column >= 1, `column ${d.column}`);
    assert.ok(!d.message.startsWith(INTERNAL_ERROR_MESSAGE), d.message);
    assert.ok(d.message.length > 0);
  }
}

export function errorsOf(diagnostics: readonly Diagnostic[]): { line: number; column: number; field: string }[] {
  return diagnostics.filter((d) => d.severity === 'error').map(({ line, column, field }) => ({ line, column, field }));
}

/** Lines as editors count them: CRLF, LF and a lone CR each end one. */
export function countLines(text: string): number {
  let lines = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) lines++;
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      lines++;
    }
  }
  return lines;
}
