/**
 * A log destination that gathers the lines written during one turn of the event loop
 * and writes them with one call: under load, one syscall per batch instead of one per
 * line. Lines are flushed before the next turn, so at most one turn's worth is at risk
 * on a crash; `flush()` runs at shutdown.
 */
export class BufferedLogStream {
  private pending: string[] = [];
  private scheduled = false;

  constructor(private readonly target: NodeJS.WritableStream = process.stdout) {}

  write(line: string): boolean {
    this.pending.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return true;
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending.join('');
    this.pending = [];
    this.target.write(batch);
  }
}
