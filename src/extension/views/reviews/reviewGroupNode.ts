import * as vscode from 'vscode';
import { REVIEW_GROUP_LABELS, type ReviewGroupKey } from '../../model/reviewGroups';
import type { TreeNode } from '../treeNode';
import type { ReviewNode } from './reviewNode';

const GROUP_ICONS: Record<ReviewGroupKey, string> = {
  needsMe: 'inbox',
  changesRequested: 'request-changes',
  readyToPublish: 'rocket',
  approvedByMe: 'check',
  mine: 'person',
  closed: 'history',
};

/** One state group of the Reviews view, e.g. "Needs my approval". */
export class ReviewGroupNode implements TreeNode {
  constructor(
    readonly key: ReviewGroupKey,
    readonly reviews: ReviewNode[],
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      REVIEW_GROUP_LABELS[this.key],
      this.reviews.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `reviews:${this.key}`;
    item.description = `${this.reviews.length}`;
    item.iconPath = new vscode.ThemeIcon(GROUP_ICONS[this.key]);
    item.contextValue = `reviewGroup ${this.key}`;
    return item;
  }

  getChildren(): TreeNode[] {
    return this.reviews;
  }
}
