/**
 * A log destination that gathers lines and writes them with one call: under load, one
 * syscall per batch instead of one per line.
 *
 * Lines from the logger (`write`: warnings, errors, start and stop messages) are
 * flushed before the next turn of the event loop, with everything gathered before them,
 * so at most one turn's worth is at risk on a crash. Per-request access lines
 * (`writeAccess`) may wait a little longer for company: they are flushed with the next
 * logger line, when 16 KiB have gathered, or after 25 ms, whichever comes first.
 * `flush()` runs at shutdown.
 */
export class BufferedLogStream {
  private pending = '';
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly target: NodeJS.WritableStream = process.stdout) {}

  write(line: string): boolean {
    this.pending += line;
    this.immediate ??= setImmediate(() => this.flush());
    return true;
  }

  writeAccess(line: string): void {
    this.pending += line;
    if (this.pending.length >= ACCESS_BATCH_CHARS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), ACCESS_BATCH_MS).unref();
  }

  flush(): void {
    if (this.immediate !== undefined) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending === '') return;
    const batch = this.pending;
    this.pending = '';
    this.target.write(batch);
  }
}

const ACCESS_BATCH_CHARS = 16 * 1024;
const ACCESS_BATCH_MS = 25;
