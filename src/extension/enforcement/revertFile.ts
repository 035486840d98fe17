import * as vscode from 'vscode';
import type { GitRepository } from '../../git';

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b));

/**
 * Put a file back as last committed: an open editor's unsaved text is discarded, and the
 * file on disk and its staged copy in the index are restored to HEAD's (a staged change
 * left behind would still be committed). Returns what was done, for the message:
 * `editor` when only unsaved text changed, `disk` when the file or the index did.
 */
export async function revertFile(
  uri: vscode.Uri,
  path: string,
  repo: GitRepository | undefined,
): Promise<'editor' | 'disk' | 'nothing'> {
  const revertedEditor = await revertEditor(uri);
  const committed = repo ? await repo.fileAt('HEAD', path) : undefined;
  if (!repo || !committed) return revertedEditor ? 'editor' : 'nothing';
  const [staged, onDisk] = await Promise.all([
    repo.fileAt('', path),
    vscode.workspace.fs.readFile(uri).then(
      (b) => b,
      () => undefined,
    ),
  ]);
  if (same(staged, committed) && same(onDisk, committed)) return revertedEditor ? 'editor' : 'nothing';
  await repo.restoreToHead([path]);
  // An open editor would show the restored bytes only once the file watcher reports them
  // (seconds on a busy machine): load them now.
  await revertEditor(uri);
  return 'disk';
}

/** Discards an open editor's text that differs from the file; true when there was some. */
async function revertEditor(uri: vscode.Uri): Promise<boolean> {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const saved = await vscode.workspace.fs.readFile(uri).then(
    (b) => new TextDecoder().decode(b),
    () => undefined,
  );
  // A read-only document changed through the API stays "not dirty", so compare texts.
  if (!document || saved === undefined || (!document.isDirty && document.getText() === saved)) return false;
  await vscode.window.showTextDocument(document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  if (document.getText() !== saved) {
    const all = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, all, saved);
    await vscode.workspace.applyEdit(edit);
    if (document.isDirty) await document.save();
  }
  return true;
}
