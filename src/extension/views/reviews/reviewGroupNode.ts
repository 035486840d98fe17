import * as vscode from 'vscode';
import type { TreeNode } from '../treeNode';
import type { ReviewNode } from './reviewNode';

/** "Needs my approval", "My requests", "Recently closed". */
export class ReviewGroupNode implements TreeNode {
  constructor(
    readonly key: 'needsMe' | 'mine' | 'closed',
    private readonly label: string,
    private readonly icon: string,
    readonly reviews: ReviewNode[],
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      this.label,
      this.reviews.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `reviews:${this.key}`;
    item.description = `${this.reviews.length}`;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = 'reviewGroup';
    return item;
  }

  getChildren(): TreeNode[] {
    return this.reviews;
  }
}
