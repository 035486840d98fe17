import * as vscode from 'vscode';
import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import type { ApplyPolicyResponse } from '../../shared/api/policy';
import { loadApplyPolicy, loadDeletedWorkspaceAdvice } from '../lazyModules';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { WorkspaceWorkingTree } from '../model/workspaceWorkingTree';

/**
 * Apply Access File (admin): the shared flow (`src/workflows/applyPolicy.ts`): the access
 * file as committed on the release branch becomes the server's, and the server's signed
 * record is written to `.promptops/policy.lock` for the admin to commit.
 */
export async function applyAccessFileCommand(
  model: PromptOpsModel,
  scripted = false,
): Promise<ApplyPolicyResponse | undefined> {
  try {
    const repo = await model.repository().repository();
    if (!repo) throw new Error(`This folder is not a git repository; apply takes ${ACCESS_FILE_PATH} from a commit.`);
    const open = vscode.workspace.textDocuments.find(
      (d) => d.uri.toString() === model.uriOf(ACCESS_FILE_PATH).toString(),
    );
    if (open?.isDirty) throw new Error(`${ACCESS_FILE_PATH} has unsaved changes; save, commit and push them first.`);
    const [{ applyCommittedPolicy }, { stillDeletedMessage }] = await Promise.all([
      loadApplyPolicy(),
      loadDeletedWorkspaceAdvice(),
    ]);
    const outcome = await applyCommittedPolicy(
      { repo, tree: new WorkspaceWorkingTree(model.root, model.expectedWrites), client: model.session.api() },
      { remote: 'origin' },
    );
    const result = outcome.response;
    const created = result.createdWorkspaces.length
      ? ` Created workspaces: ${result.createdWorkspaces.join(', ')}.`
      : '';
    const deleted = result.deletedWorkspaces.length ? ` ${stillDeletedMessage(result.deletedWorkspaces)}` : '';
    const lock = outcome.lockWritten ? ' Commit and push .promptops/policy.lock, the signed record of it.' : '';
    if (!scripted)
      void vscode.window.showInformationMessage(
        result.changed
          ? `PromptOps: the server now enforces access file version ${result.policy.version} (commit ${outcome.commit.slice(0, 7)}).${created}${deleted}${lock}`
          : `PromptOps: the server already enforces this access file.${deleted}${lock}`,
      );
    return result;
  } catch (err) {
    if (scripted) throw err;
    void vscode.window.showErrorMessage(`PromptOps: could not apply the access file. ${(err as Error).message}`);
    return undefined;
  }
}
