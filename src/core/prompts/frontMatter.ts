import { lineAt, lineStartAt } from './lineBreaks';
import type { PromptLayout } from './promptLayout';

export interface FrontMatterSplit {
  layout: PromptLayout;
  /** Offset of an opening `---` that no closing `---` line matches; the layout then has no metadata. */
  unclosedAt?: number;
}

const BOM = '\uFEFF';
/** Some prompt collections wrap the whole file in a ```` ```prompt ```` code fence. */
const OPENING_FENCE = /^(`{3,}|~{3,})[ \t]*prompt[ \t]*$/i;
const DELIMITER = /^---[ \t]*$/;

/**
 * Splits `text` into BOM, optional opening fence, front matter between `---` lines, body
 * and closing fence. Never fails: a file without front matter is all body.
 */
export function splitFrontMatter(text: string): FrontMatterSplit {
  const bom = text.startsWith(BOM) ? BOM : '';
  let openLine = lineAt(text, bom.length);
  let fence: string | undefined;
  const fenceMatch = OPENING_FENCE.exec(text.slice(openLine.start, openLine.contentEnd));
  if (fenceMatch && openLine.next > openLine.contentEnd) {
    const next = lineAt(text, openLine.next);
    if (isDelimiter(text, next.start, next.contentEnd)) {
      fence = fenceMatch[1];
      openLine = next;
    }
  }
  const noFrontMatter: FrontMatterSplit = { layout: { prefix: bom, body: text.slice(bom.length), suffix: '' } };
  // An opening `---` needs a line break after it: a file that is only `---` is body text.
  if (!isDelimiter(text, openLine.start, openLine.contentEnd) || openLine.next === openLine.contentEnd) {
    return noFrontMatter;
  }
  let start = openLine.next;
  while (start < text.length) {
    const line = lineAt(text, start);
    if (isDelimiter(text, line.start, line.contentEnd)) {
      const body = text.slice(line.next);
      const suffixLength = fence ? closingFenceLength(body, fence) : 0;
      return {
        layout: {
          prefix: text.slice(0, openLine.start),
          metadata: {
            open: text.slice(openLine.start, openLine.next),
            yaml: text.slice(openLine.next, line.start),
            close: text.slice(line.start, line.next),
          },
          body: body.slice(0, body.length - suffixLength),
          suffix: body.slice(body.length - suffixLength),
        },
      };
    }
    start = line.next;
  }
  return { ...noFrontMatter, unclosedAt: openLine.start };
}

function isDelimiter(text: string, start: number, end: number): boolean {
  return end - start >= 3 && end - start < 64 && DELIMITER.test(text.slice(start, end));
}

/**
 * Length of the closing fence at the end of `body` (the fence line and any trailing
 * whitespace), or 0. Only the same fence as the opening one closes it.
 */
function closingFenceLength(body: string, fence: string): number {
  let end = body.length;
  while (end > 0 && /\s/.test(body[end - 1])) end--;
  const fenceStart = end - fence.length;
  if (fenceStart < 0 || body.slice(fenceStart, end) !== fence) return 0;
  // The fence must be the whole line: not preceded by more fence characters or other text.
  if (lineStartAt(body, fenceStart) !== fenceStart) return 0;
  return body.length - fenceStart;
}
