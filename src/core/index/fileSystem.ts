/**
 * The only I/O the index does, handed in by its caller (node fs in the CLI, the VS Code
 * workspace fs in the extension, an in-memory map in tests). Paths are repo-relative with
 * forward slashes; '' is the root.
 */
export interface DirEntry {
  name: string;
  kind: 'file' | 'dir' | 'other';
}

export interface IndexFileSystem {
  readDir(path: string): Promise<DirEntry[]>;
  /** The file's text (UTF-8), or undefined when it does not exist. */
  readFile(path: string): Promise<string | undefined>;
}
