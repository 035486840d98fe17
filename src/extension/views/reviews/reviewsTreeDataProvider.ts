import * as vscode from 'vscode';
import type { ReviewSummaryDto } from '../../../shared/api/reviews';
import type { OpenReviews } from '../../model/openReviews';
import type { Session } from '../../session/session';
import type { TreeNode } from '../treeNode';
import { ReviewGroupNode } from './reviewGroupNode';
import { ReviewNode } from './reviewNode';

const CLOSED_SHOWN = 10;
/** Open reviews fetched for the Prompts view's badges: the server's largest page. */
const OPEN_FOR_BADGES = 200;

/** Reviews view: needs my approval / my requests / recently closed; the last lists stay (read-only) while offline. */
export class ReviewsTreeDataProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private groups: ReviewGroupNode[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly session: Session,
    private readonly openReviews: OpenReviews,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = session.onDidChange(() => void this.reload());
  }

  get loaded(): readonly ReviewGroupNode[] {
    return this.groups;
  }

  async reload(): Promise<void> {
    const state = this.session.state;
    if (state.kind === 'signedOut') {
      this.groups = [];
      this.openReviews.replace([]);
    } else if (state.kind === 'signedIn') {
      try {
        const client = this.session.api();
        const me = state.user.username;
        const [needsMe, mine, published, withdrawn, open] = await Promise.all([
          client.listReviews({ status: 'open', needsMyApproval: true }),
          client.listReviews({ status: 'open', author: me }),
          client.listReviews({ status: 'published', limit: CLOSED_SHOWN }),
          client.listReviews({ status: 'withdrawn', limit: CLOSED_SHOWN }),
          client.listReviews({ status: 'open', limit: OPEN_FOR_BADGES }),
        ]);
        this.openReviews.replace(open.reviews);
        const closed = [...published.reviews, ...withdrawn.reviews]
          .sort((a, b) => (b.closedAt ?? b.updatedAt).localeCompare(a.closedAt ?? a.updatedAt))
          .slice(0, CLOSED_SHOWN);
        const nodes = (list: ReviewSummaryDto[], key: 'needsMe' | 'mine' | 'closed') =>
          list.map((r) => new ReviewNode(r, key));
        this.groups = [
          new ReviewGroupNode('needsMe', 'Needs my approval', 'inbox', nodes(needsMe.reviews, 'needsMe')),
          new ReviewGroupNode('mine', 'My requests', 'person', nodes(mine.reviews, 'mine')),
          new ReviewGroupNode('closed', 'Recently closed', 'history', nodes(closed, 'closed')),
        ];
      } catch (err) {
        this.log.warn(`listing reviews failed: ${(err as Error).message}`);
      }
    }
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.getChildren();
    // All three empty: answer nothing so the welcome text shows.
    return this.groups.some((g) => g.reviews.length > 0) ? this.groups : [];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
