import * as vscode from 'vscode';
import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';

const TEMPLATE = `# PromptOps access file: who may view, edit, approve and publish each prompt.
# Reference: docs/access-model.md. Protected: only admins may change .promptops/**.
version: 1
# server: http://127.0.0.1:4700
environments: [dev, test, prod]
roles:
  reviewer:  { extends: viewer, allow: [review.approve] }
  publisher: { extends: editor, allow: [review.approve, prompt.publish] }
workspaces:
  default:
    paths: ["prompts/**"]
    members: {}
    environments:
      prod:
        edit: [publisher]
        publish: [publisher]
        approvals: { required: 1, from: [reviewer, publisher], selfApproval: false }
approvals: { required: 1, from: [editor], selfApproval: false }
protected: []
`;

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
  if (!exists) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(TEMPLATE));
  await vscode.window.showTextDocument(uri);
  return uri;
}
