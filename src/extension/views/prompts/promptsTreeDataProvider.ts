import * as vscode from 'vscode';
import type { IndexedPrompt } from '../../../core/index/promptIndex';
import type { PromptOpsModel } from '../../model/promptOpsModel';
import { rowsInScope } from '../../model/workspaceScope';
import type { TreeNode } from '../treeNode';
import { WorkspaceNode } from './workspaceNode';

/**
 * Prompts view: workspace → env → prompt, rebuilt from the model whenever it changes; only the
 * picked workspace's prompts while one is picked with Switch Workspace.
 */
export class PromptsTreeDataProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: PromptOpsModel) {
    this.subscription = model.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.getChildren();
    const index = this.model.index;
    // An empty answer lets viewsWelcome speak (no access file / no prompts yet).
    if (!index || !index.hasAccessFile || index.size === 0) return [];
    const byWorkspace = new Map<string, IndexedPrompt[]>();
    const scope = this.model.scope();
    for (const p of rowsInScope([...index.all()], scope)) {
      const list = byWorkspace.get(p.workspace) ?? [];
      list.push(p);
      byWorkspace.set(p.workspace, list);
    }
    // A picked workspace with no prompts still shows itself, so the view does not look unconfigured.
    if (scope && !byWorkspace.has(scope)) byWorkspace.set(scope, []);
    const order = this.model.workspaceNames();
    return [...byWorkspace.keys()]
      .sort((a, b) => order.indexOf(a) - order.indexOf(b))
      .map((w) => new WorkspaceNode(this.model, w, byWorkspace.get(w)!));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
