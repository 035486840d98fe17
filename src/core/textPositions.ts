/**
 * Offset → line/column in the way editors count: lines end at `\r\n`, `\n` or a lone `\r`
 * (VS Code and YAML both treat a lone CR as a line break), columns are UTF-16 code units,
 * and a leading BOM is not a column.
 */
export interface Position {
  line: number;
  column: number;
}

export class TextPositions {
  private readonly lineStarts: number[] = [0];
  private readonly bomLength: number;

  constructor(readonly text: string) {
    this.bomLength = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** 1-based position of a 0-based offset into `text`; offsets past the end clamp to the end. */
  at(offset: number): Position {
    let o = Math.max(0, Math.min(offset, this.text.length));
    // Between the CR and LF of one line break is still the end of that line.
    if (o > 0 && this.text.charCodeAt(o) === 10 && this.text.charCodeAt(o - 1) === 13) o--;
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    const start = lo === 0 ? Math.min(this.bomLength, o) : this.lineStarts[lo];
    return { line: lo + 1, column: o - start + 1 };
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}
