import * as vscode from 'vscode';
import { decideOrgAction } from '../../../core/policy/orgDecision';
import type { UserDto } from '../../../shared/api/users';
import type { Session } from '../../session/session';
import type { TreeNode } from '../treeNode';
import { UserNode } from './userNode';

/** Users view (admins only): the server's users; the last list stays visible, read-only, while offline. */
export class UsersTreeDataProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private users: UserDto[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly session: Session,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = session.onDidChange(() => void this.reload());
  }

  get loaded(): readonly UserDto[] {
    return this.users;
  }

  async reload(): Promise<void> {
    const state = this.session.state;
    const mayManage = state.kind !== 'signedOut' && decideOrgAction(state.user, 'user.manage').allowed;
    if (state.kind === 'signedIn' && mayManage) {
      try {
        this.users = await this.session.api().listUsers();
      } catch (err) {
        this.log.warn(`listing users failed: ${(err as Error).message}`);
      }
    } else if (!mayManage) {
      this.users = [];
    }
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.getChildren();
    const me = this.session.user?.username;
    const offline = this.session.state.kind === 'offline';
    return [...this.users]
      .sort((a, b) => a.username.localeCompare(b.username))
      .map((u) => new UserNode(u, u.username === me, offline));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
