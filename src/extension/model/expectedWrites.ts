/**
 * Files the extension itself is about to write (publish writes the prompt and
 * `.promptops/published.yaml`), with the bytes it writes: the edit guard's disk check
 * recognises its own writes by content, so they raise no "changed on disk" warning, while
 * any other change to those files still does.
 */
export class ExpectedWrites {
  private readonly byPath = new Map<string, Uint8Array>();

  expect(path: string, bytes: Uint8Array): void {
    this.byPath.set(path, bytes.slice());
  }

  /** True when `onDisk` is exactly what we wrote last; a different content forgets the entry. */
  isOurs(path: string, onDisk: Uint8Array): boolean {
    const ours = this.byPath.get(path);
    if (!ours) return false;
    if (ours.length === onDisk.length && ours.every((b, i) => b === onDisk[i])) return true;
    this.byPath.delete(path);
    return false;
  }
}
