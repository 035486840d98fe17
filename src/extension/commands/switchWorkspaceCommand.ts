import * as vscode from 'vscode';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { ALL_WORKSPACES } from '../model/workspaceScope';

/**
 * Pick the PromptOps workspace the Prompts and Reviews views scope to (and the status bar shows
 * my role in), or "All workspaces"; returns the picked name, `*` for all.
 */
export async function switchWorkspaceCommand(model: PromptOpsModel, name?: string): Promise<string | undefined> {
  if (typeof name !== 'string') {
    const scope = model.scope();
    const all: vscode.QuickPickItem & { name: string } = {
      label: 'All workspaces',
      description: 'show every workspace in the Prompts and Reviews views',
      name: ALL_WORKSPACES,
      picked: scope === undefined,
    };
    const picked = await vscode.window.showQuickPick(
      [
        all,
        ...model.workspaceNames().map((w) => {
          const role = model.roleIn(w);
          return {
            label: w,
            name: w,
            description: role ? `${role.role}${role.source === 'member' ? ' (member)' : ' (org role)'}` : undefined,
            picked: w === scope,
          };
        }),
      ],
      { title: 'PromptOps: Switch Workspace', placeHolder: `Current: ${scope ?? 'All workspaces'}` },
    );
    name = picked?.name;
  }
  if (name === undefined) return undefined;
  if (name !== ALL_WORKSPACES && !model.workspaceNames().includes(name))
    throw new Error(`No workspace \`${name}\` in .promptops/access.yaml; pick one it declares, or All workspaces.`);
  await model.pinWorkspace(name === ALL_WORKSPACES ? undefined : name);
  return name;
}
