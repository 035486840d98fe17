import * as vscode from 'vscode';
import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import { loadAccessFileTemplate } from '../lazyModules';

/** Writes a starter `.promptops/access.yaml` (never over an existing one) and opens it. */
export async function createAccessFileCommand(root: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (!root) {
    void vscode.window.showInformationMessage('PromptOps: open a folder first.');
    return undefined;
  }
  const uri = vscode.Uri.joinPath(root, ...ACCESS_FILE_PATH.split('/'));
  const exists = await vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const { ACCESS_FILE_TEMPLATE } = await loadAccessFileTemplate();
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(ACCESS_FILE_TEMPLATE));
  }
  await vscode.window.showTextDocument(uri);
  return uri;
}
