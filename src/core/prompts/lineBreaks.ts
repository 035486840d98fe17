/**
 * Line handling shared by the prompt parsers. A line ends at `\r\n`, `\n` or a lone `\r`,
 * the same breaks TextPositions counts, so offsets found here map to the lines editors show.
 */

/** Length of the line break starting at `offset` (0 when there is none). */
export function lineBreakLengthAt(text: string, offset: number): number {
  const c = text.charCodeAt(offset);
  if (c === 10) return 1;
  if (c === 13) return text.charCodeAt(offset + 1) === 10 ? 2 : 1;
  return 0;
}

/** Offset of the first line break at or after `offset`, or `text.length`. */
export function lineEndAt(text: string, offset: number): number {
  for (let i = offset; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

/** Offset where the line containing `offset` starts. */
export function lineStartAt(text: string, offset: number): number {
  let i = offset;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i;
}

export interface LineSpan {
  /** Offset of the first character of the line. */
  start: number;
  /** Offset just past the line's content (where its break begins). */
  contentEnd: number;
  /** Offset of the next line (past the break); equals contentEnd on the last line. */
  next: number;
}

/** The line starting at `start`. */
export function lineAt(text: string, start: number): LineSpan {
  const contentEnd = lineEndAt(text, start);
  return { start, contentEnd, next: contentEnd + lineBreakLengthAt(text, contentEnd) };
}

/** Calls `visit` for each line of `text[from, to)`; stops early when it returns false. */
export function forEachLine(text: string, from: number, to: number, visit: (line: LineSpan) => boolean | void): void {
  let start = from;
  while (start < to) {
    const line = lineAt(text, start);
    if (line.contentEnd > to) {
      visit({ start, contentEnd: to, next: to });
      return;
    }
    if (visit(line) === false) return;
    if (line.next === start) return;
    start = line.next;
  }
}

/** The first line break used in `text`, for writing new lines the way the file already does. */
export function firstLineBreak(text: string): string | undefined {
  const end = lineEndAt(text, 0);
  const length = lineBreakLengthAt(text, end);
  return length ? text.slice(end, end + length) : undefined;
}

/** Splits text into lines that keep their own break, so joining them gives the text back. */
export function splitLinesKeepingBreaks(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const line = lineAt(text, start);
    lines.push(text.slice(start, line.next));
    start = line.next;
  }
  return lines;
}
