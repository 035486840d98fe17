import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { DirEntry, IndexFileSystem } from '../core/index/fileSystem';

/**
 * The index's file system over a folder on disk. Symbolic links are not followed (they
 * could lead out of the repository), and no path may leave the root.
 */
export class NodeFileSystem implements IndexFileSystem {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async readDir(path: string): Promise<DirEntry[]> {
    const entries = await readdir(this.abs(path), { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, kind: e.isFile() ? 'file' : e.isDirectory() ? 'dir' : 'other' }));
  }

  async readFile(path: string): Promise<string | undefined> {
    try {
      return await readFile(this.abs(path), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR')
        return undefined;
      throw err;
    }
  }

  /** Repo-relative, forward-slash path of an absolute or cwd-relative one. */
  relative(path: string): string {
    return relative(this.root, resolve(path)).split(sep).join('/');
  }

  private abs(path: string): string {
    const full = resolve(this.root, path);
    const rel = relative(this.root, full);
    if (rel.startsWith('..') || isAbsolute(rel))
      throw new Error(`path ${JSON.stringify(path)} is outside ${this.root}`);
    return full || join(this.root, '.');
  }
}
