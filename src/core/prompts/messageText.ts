/** A message's text cut from a body, with where it starts. */
export interface MessageText {
  content: string;
  /** Offset (in the source the text was cut from) of the content's first non-blank character, or of its start when blank. */
  offset: number;
}

/** `text[from, to)` without surrounding whitespace: the blank lines around a message are layout, not content. */
export function trimmedText(text: string, from: number, to: number): MessageText {
  let start = from;
  let end = to;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return { content: text.slice(start, end), offset: start < end ? start : from };
}

/** Offset of the first non-whitespace character at or after `from`, or `text.length`. */
export function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff;
}
