import * as vscode from 'vscode';
import type { PromptOpsModel } from '../model/promptOpsModel';

/** Pick the PromptOps workspace the status bar shows my role in; returns the picked name. */
export async function switchWorkspaceCommand(model: PromptOpsModel, name?: string): Promise<string | undefined> {
  if (typeof name !== 'string') {
    const current = model.currentWorkspace();
    const picked = await vscode.window.showQuickPick(
      model.workspaceNames().map((w) => {
        const role = model.roleIn(w);
        return {
          label: w,
          description: role ? `${role.role}${role.source === 'member' ? ' (member)' : ' (org role)'}` : undefined,
          picked: w === current,
        };
      }),
      { title: 'PromptOps: Switch Workspace', placeHolder: `Current: ${current}` },
    );
    name = picked?.label;
  }
  if (name === undefined) return undefined;
  model.pinWorkspace(name);
  return name;
}
