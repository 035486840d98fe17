import * as vscode from 'vscode';
import type { ReviewListItemDto } from '../../../shared/api/reviews';
import { COMMANDS } from '../../commands/commandIds';
import { hasChangesRequested, isReadyToPublish, type ReviewGroupKey } from '../../model/reviewGroups';
import type { TreeNode } from '../treeNode';
import { reviewPlacement } from '../../../core/review/policyApproval';
import { reviewStateWords } from '../../../core/review/publishedState';

/** One review: prompt name, where, author and state; click opens the review panel. */
export class ReviewNode implements TreeNode {
  constructor(
    readonly review: ReviewListItemDto,
    private readonly group: ReviewGroupKey,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const r = this.review;
    const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.None);
    item.id = `review:${this.group}:${r.id}`;
    const state = stateOf(r);
    item.description = `${reviewPlacement(r)} · ${r.author}${r.revision > 1 ? ` · rev ${r.revision}` : ''} · ${state.label}`;
    item.tooltip = `${r.path}\n${state.label}\n${r.note || '(no note)'}\nRequested by ${r.author}, ${new Date(r.createdAt).toLocaleString()}`;
    item.iconPath = new vscode.ThemeIcon(state.icon, state.color ? new vscode.ThemeColor(state.color) : undefined);
    const flags = [
      this.group === 'needsMe' ? 'needsMyApproval' : '',
      hasChangesRequested(r) ? 'changesRequested' : '',
      isReadyToPublish(r) ? 'readyToPublish' : '',
    ].filter(Boolean);
    item.contextValue = ['review', r.status, ...flags].join(' ');
    item.command = { command: COMMANDS.openReview, title: 'Open Review', arguments: [{ id: r.id }] };
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}

/** The state a person reads first: words for the description, an icon for the eye. */
function stateOf(r: ReviewListItemDto): { label: string; icon: string; color?: string } {
  if (r.status === 'published' && r.delivery?.state === 'awaiting-merge')
    return { label: reviewStateWords(r), icon: 'git-merge', color: 'problemsWarningIcon.foreground' };
  if (r.status === 'published') return { label: 'published', icon: 'rocket', color: 'charts.green' };
  if (r.status === 'withdrawn') return { label: 'withdrawn', icon: 'circle-slash' };
  const a = r.approval;
  if (a && a.changesRequestedBy.length > 0)
    return {
      label: `changes requested by ${a.changesRequestedBy.join(', ')}`,
      icon: 'request-changes',
      color: 'problemsWarningIcon.foreground',
    };
  if (a?.met) return { label: 'approved, ready to publish', icon: 'pass-filled', color: 'charts.green' };
  if (a) return { label: `${a.approvals} of ${a.required} approvals`, icon: 'git-pull-request' };
  return { label: 'open', icon: 'git-pull-request' };
}
