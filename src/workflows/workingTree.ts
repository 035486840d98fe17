import { repoPathChain } from '../core/review/approvedContent';

/**
 * The little file access the review workflows need, handed in by each front end (node fs
 * in the CLI, `vscode.workspace.fs` in the extension). Paths are repo-relative with
 * forward slashes.
 */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'absent' | 'other';

export interface WorkingTree {
  /** What is at `path`, without following a symbolic link (lstat). */
  entryKind(path: string): Promise<EntryKind>;
  /** A regular file's bytes; undefined when there is nothing at `path`. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** Replaces the file's bytes, creating missing parent folders. */
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
}

/** The workflow will not do this; nothing was changed. The message says why and what to do. */
export class WorkflowRefusal extends Error {
  override name = 'WorkflowRefusal';
}

/**
 * Refuses a path that is, or lies under, a symbolic link (or is not a plain repo-relative
 * path): reading or writing through it could reach a file outside the repository.
 */
export async function assertPlainPath(tree: WorkingTree, path: string): Promise<void> {
  const chain = repoPathChain(path);
  if (!chain) throw new WorkflowRefusal(`${JSON.stringify(path)} is not a path inside the repository`);
  for (const step of chain) {
    const kind = await tree.entryKind(step);
    if (kind === 'symlink')
      throw new WorkflowRefusal(
        step === path
          ? `${path} is a symbolic link; PromptOps never follows one out of the repository. Replace it with the file itself.`
          : `${path} lies under ${step}, a symbolic link; PromptOps never follows one out of the repository.`,
      );
    if (kind === 'absent') return;
    if (step !== path && kind !== 'directory') throw new WorkflowRefusal(`${step} (above ${path}) is not a folder`);
  }
}
