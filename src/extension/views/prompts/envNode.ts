import * as vscode from 'vscode';
import type { IndexedPrompt } from '../../../core/index/promptIndex';
import type { PromptOpsModel } from '../../model/promptOpsModel';
import type { TreeNode } from '../treeNode';
import { PromptNode } from './promptNode';

/** An environment inside a workspace (`dev`, `test`, `prod`, …) and its prompts, by path. */
export class EnvNode implements TreeNode {
  constructor(
    private readonly model: PromptOpsModel,
    readonly workspace: string,
    readonly env: string,
    private readonly prompts: IndexedPrompt[],
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.env, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `env:${this.workspace}/${this.env}`;
    item.iconPath = new vscode.ThemeIcon(this.env === 'prod' ? 'rocket' : 'beaker');
    item.description = `${this.prompts.length}`;
    item.contextValue = 'env';
    return item;
  }

  getChildren(): TreeNode[] {
    return [...this.prompts].sort((a, b) => a.path.localeCompare(b.path)).map((p) => new PromptNode(this.model, p));
  }
}
