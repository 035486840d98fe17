import * as vscode from 'vscode';
import type { GitRepository } from '../../git';

/**
 * Put a file back as it was: an open, dirty editor is reverted to the saved text; a file
 * changed on disk is restored to HEAD's bytes. Returns what was done, for the message.
 */
export async function revertFile(
  uri: vscode.Uri,
  path: string,
  repo: GitRepository | undefined,
): Promise<'editor' | 'disk' | 'nothing'> {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const saved = await vscode.workspace.fs.readFile(uri).then(
    (b) => new TextDecoder().decode(b),
    () => undefined,
  );
  // A read-only document changed through the API stays "not dirty", so compare texts.
  if (document && saved !== undefined && (document.isDirty || document.getText() !== saved)) {
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
    if (document.getText() !== saved) {
      const all = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, all, saved);
      await vscode.workspace.applyEdit(edit);
      if (document.isDirty) await document.save();
    }
    return 'editor';
  }
  const committed = repo ? await repo.fileAt('HEAD', path) : undefined;
  if (!committed) return 'nothing';
  const onDisk = await vscode.workspace.fs.readFile(uri).then(
    (b) => b,
    () => undefined,
  );
  if (onDisk && Buffer.from(onDisk).equals(Buffer.from(committed))) return 'nothing';
  await vscode.workspace.fs.writeFile(uri, committed);
  return 'disk';
}
