import * as vscode from 'vscode';
import type { IndexedPrompt } from '../../../core/index/promptIndex';
import type { PromptOpsModel } from '../../model/promptOpsModel';
import type { TreeNode } from '../treeNode';
import { EnvNode } from './envNode';

/** A PromptOps workspace with my role in it, grouping its prompts by env in the access file's order. */
export class WorkspaceNode implements TreeNode {
  constructor(
    private readonly model: PromptOpsModel,
    readonly name: string,
    private readonly prompts: IndexedPrompt[],
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `workspace:${this.name}`;
    item.iconPath = new vscode.ThemeIcon('folder-library');
    const role = this.model.roleIn(this.name);
    item.description = role ? `you: ${role.role}` : undefined;
    item.tooltip = role
      ? `Your role in ${this.name}: ${role.role} (${role.source === 'member' ? 'bound by the access file' : 'your org role'})`
      : `Sign in to see your role in ${this.name}.`;
    item.contextValue = this.name === this.model.currentWorkspace() ? 'workspace current' : 'workspace';
    return item;
  }

  getChildren(): TreeNode[] {
    const order = this.model.index?.policy.environments ?? [];
    const byEnv = new Map<string, IndexedPrompt[]>();
    for (const p of this.prompts) {
      const list = byEnv.get(p.env) ?? [];
      list.push(p);
      byEnv.set(p.env, list);
    }
    const rank = (env: string) => (order.includes(env) ? order.indexOf(env) : order.length);
    return [...byEnv.keys()]
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
      .map((env) => new EnvNode(this.model, this.name, env, byEnv.get(env)!));
  }
}
