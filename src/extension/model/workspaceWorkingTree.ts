import * as vscode from 'vscode';
import type { EntryKind, WorkingTree } from '../../workflows/workingTree';
import type { ExpectedWrites } from './expectedWrites';

/** The review workflows' working tree over `vscode.workspace.fs`, so remote and virtual workspaces work too. */
export class WorkspaceWorkingTree implements WorkingTree {
  constructor(
    private readonly root: vscode.Uri,
    /** Where our writes are announced, so the edit guard does not warn about them. */
    private readonly expected?: ExpectedWrites,
  ) {}

  async entryKind(path: string): Promise<EntryKind> {
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(this.uri(path));
    } catch (err) {
      if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return 'absent';
      throw err;
    }
    // `stat` follows links but flags them: File | SymbolicLink for a link to a file.
    if (stat.type & vscode.FileType.SymbolicLink) return 'symlink';
    if (stat.type & vscode.FileType.Directory) return 'directory';
    if (stat.type & vscode.FileType.File) return 'file';
    return 'other';
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    try {
      return await vscode.workspace.fs.readFile(this.uri(path));
    } catch (err) {
      if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
      throw err;
    }
  }

  async writeFile(path: string, bytes: Uint8Array): Promise<void> {
    this.expected?.expect(path, bytes);
    // Creates missing parent folders.
    await vscode.workspace.fs.writeFile(this.uri(path), bytes);
  }

  private uri(path: string): vscode.Uri {
    return vscode.Uri.joinPath(this.root, ...path.split('/'));
  }
}
