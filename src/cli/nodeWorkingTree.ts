import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { EntryKind, WorkingTree } from '../workflows/workingTree';

/** The review workflows' working tree over a folder on disk; no path may leave the root. */
export class NodeWorkingTree implements WorkingTree {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async entryKind(path: string): Promise<EntryKind> {
    try {
      const s = await lstat(this.abs(path));
      return s.isSymbolicLink() ? 'symlink' : s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
      throw err;
    }
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.abs(path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async writeFile(path: string, bytes: Uint8Array): Promise<void> {
    const file = this.abs(path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, bytes);
  }

  private abs(path: string): string {
    const full = resolve(this.root, path);
    const rel = relative(this.root, full);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
      throw new Error(`path ${JSON.stringify(path)} is outside ${this.root}`);
    return full;
  }
}
