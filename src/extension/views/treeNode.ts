import type * as vscode from 'vscode';

/** A node renders itself and knows its children; providers only route to nodes (STYLE.md #7). */
export interface TreeNode {
  getTreeItem(): vscode.TreeItem;
  getChildren(): TreeNode[];
}
