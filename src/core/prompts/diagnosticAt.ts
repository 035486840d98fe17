import type { Diagnostic } from '../diagnostics';
import type { TextPositions } from '../textPositions';

/** An error at an offset of the file, for problems found outside the YAML (in a body). */
export function diagnosticAt(
  file: string,
  positions: TextPositions,
  offset: number,
  field: string,
  message: string,
): Diagnostic {
  const at = positions.at(offset);
  return { file, line: at.line, column: at.column, field, message, severity: 'error' };
}
