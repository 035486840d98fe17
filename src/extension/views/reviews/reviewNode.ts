import * as vscode from 'vscode';
import type { ReviewSummaryDto } from '../../../shared/api/reviews';
import { COMMANDS } from '../../commands/commandIds';
import type { TreeNode } from '../treeNode';

/** One review: prompt name, env and author; click opens the review panel. */
export class ReviewNode implements TreeNode {
  constructor(
    readonly review: ReviewSummaryDto,
    private readonly group: 'needsMe' | 'mine' | 'closed',
  ) {}

  getTreeItem(): vscode.TreeItem {
    const r = this.review;
    const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.None);
    item.id = `review:${this.group}:${r.id}`;
    item.description = `${r.workspace}/${r.env} · ${r.author}${r.revision > 1 ? ` · rev ${r.revision}` : ''}${r.status !== 'open' ? ` · ${r.status}` : ''}`;
    item.tooltip = `${r.path}\n${r.note || '(no note)'}\nRequested by ${r.author}, ${new Date(r.createdAt).toLocaleString()}`;
    item.iconPath = new vscode.ThemeIcon(
      r.status === 'published' ? 'rocket' : r.status === 'withdrawn' ? 'circle-slash' : 'git-pull-request',
    );
    item.contextValue = `review ${r.status}${this.group === 'needsMe' ? ' needsMyApproval' : ''}`;
    item.command = { command: COMMANDS.openReview, title: 'Open Review', arguments: [{ id: r.id }] };
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}
