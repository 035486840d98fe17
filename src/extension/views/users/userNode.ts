import * as vscode from 'vscode';
import { decideOrgAction } from '../../../core/policy/orgDecision';
import type { UserDto } from '../../../shared/api/users';
import type { TreeNode } from '../treeNode';

/** A server user; `removable` unless it is me (the server also refuses removing the last admin). */
export class UserNode implements TreeNode {
  constructor(
    readonly user: UserDto,
    private readonly isMe: boolean,
    private readonly offline: boolean,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.user.username, vscode.TreeItemCollapsibleState.None);
    item.id = `user:${this.user.id}`;
    item.description = `${this.user.role}${this.isMe ? ' · you' : ''}${this.offline ? ' · cached' : ''}`;
    // A shield for whoever manages users, as the server decides it.
    const manages = decideOrgAction(this.user, 'user.manage').allowed;
    item.iconPath = new vscode.ThemeIcon(manages ? 'shield' : 'person');
    item.tooltip = `${this.user.username}: ${this.user.role}${this.user.emails.length ? `\n${this.user.emails.join(', ')}` : ''}`;
    item.contextValue = this.offline ? 'userOffline' : this.isMe ? 'user' : 'user removable';
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}
