import * as vscode from 'vscode';
import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import type { ApplyPolicyResponse } from '../../shared/api/policy';
import type { PromptOpsModel } from '../model/promptOpsModel';

/** Apply Access File (admin): upload the repository's `.promptops/access.yaml` as the server's authority. */
export async function applyAccessFileCommand(
  model: PromptOpsModel,
  scripted = false,
): Promise<ApplyPolicyResponse | undefined> {
  try {
    const bytes = await vscode.workspace.fs.readFile(model.uriOf(ACCESS_FILE_PATH));
    const result = await model.session.api().applyPolicy(new TextDecoder().decode(bytes));
    const created = result.createdWorkspaces.length
      ? ` Created workspaces: ${result.createdWorkspaces.join(', ')}.`
      : '';
    if (!scripted)
      void vscode.window.showInformationMessage(
        result.changed
          ? `PromptOps: the server now enforces access file version ${result.policy.version}.${created}`
          : 'PromptOps: the server already enforces this access file.',
      );
    return result;
  } catch (err) {
    if (scripted) throw err;
    void vscode.window.showErrorMessage(`PromptOps: could not apply the access file. ${(err as Error).message}`);
    return undefined;
  }
}
