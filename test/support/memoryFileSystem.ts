import type { DirEntry, IndexFileSystem } from '../../src/core/index/fileSystem';

/** A repository held in a map of path → text, for index tests that need no disk. */
export class MemoryFileSystem implements IndexFileSystem {
  readonly files = new Map<string, string>();
  reads = 0;

  constructor(files: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(files)) this.files.set(k, v);
  }

  async readDir(path: string): Promise<DirEntry[]> {
    const prefix = path ? `${path}/` : '';
    const seen = new Map<string, DirEntry>();
    for (const f of this.files.keys()) {
      if (!f.startsWith(prefix)) continue;
      const rest = f.slice(prefix.length);
      const slash = rest.indexOf('/');
      const name = slash < 0 ? rest : rest.slice(0, slash);
      if (!seen.has(name)) seen.set(name, { name, kind: slash < 0 ? 'file' : 'dir' });
    }
    return [...seen.values()];
  }

  async readFile(path: string): Promise<string | undefined> {
    this.reads++;
    return this.files.get(path);
  }
}
