import { splitLinesKeepingBreaks } from './lineBreaks';

/**
 * A tag block's body as the author meant it: without the rest of the opening tag's line,
 * the indentation before the closing tag, the final line break, and the indentation
 * shared by all non-blank lines (Humanloop indents block bodies by two spaces).
 */
export function dedentBlock(raw: string): string {
  const lines = splitLinesKeepingBreaks(raw);
  if (lines.length > 1 && isBlank(lines[0])) lines.shift();
  if (lines.length > 1 && isBlank(lines[lines.length - 1])) lines.pop();
  if (lines.length === 1 && isBlank(lines[0])) return '';
  let indent = Infinity;
  for (const line of lines) {
    if (isBlank(line)) continue;
    indent = Math.min(indent, leadingWhitespace(line));
  }
  if (!Number.isFinite(indent)) indent = 0;
  let out = '';
  for (const line of lines) out += line.slice(Math.min(indent, leadingWhitespace(line)));
  return out.replace(/(\r\n|\r|\n)$/, '');
}

function leadingWhitespace(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

function isBlank(line: string): boolean {
  return /^[ \t]*(\r\n|\r|\n)?$/.test(line);
}
