import * as vscode from 'vscode';
import type { OpenReviews } from '../../model/openReviews';
import { inScope, rowsInScope, type WorkspaceScope } from '../../model/workspaceScope';
import { groupReviews, REVIEW_GROUP_KEYS, type ReviewLists } from '../../model/reviewGroups';
import type { Session } from '../../session/session';
import type { TreeNode } from '../treeNode';
import { ReviewGroupNode } from './reviewGroupNode';
import { ReviewNode } from './reviewNode';

const CLOSED_SHOWN = 10;
/** Open reviews fetched for the state groups and the Prompts view's badges: the server's largest page. */
const OPEN_FETCHED = 200;

/** One poll's result and the one before it (undefined for the first after sign-in). */
export interface ReviewListsChange {
  previous: ReviewLists | undefined;
  next: ReviewLists;
  me: string;
}

/** Where the view reads the picked workspace, and hears that it changed. */
export interface ReviewScopeSource {
  scope(): WorkspaceScope;
  readonly onDidChange: vscode.Event<void>;
}

/**
 * Reviews view, grouped by state (see reviewGroups.ts), only the picked workspace's while one is
 * picked with Switch Workspace (the Prompts view's badges still see every open review). `reload` is cheap to call often
 * (the live poll does): the tree re-renders only when what the server says has changed.
 * The last lists stay, read-only, while offline.
 */
export class ReviewsTreeDataProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly listsChanged = new vscode.EventEmitter<ReviewListsChange>();
  /** Fires after each poll whose answer differs from the last. */
  readonly onDidChangeLists = this.listsChanged.event;
  private groups: ReviewGroupNode[] = [];
  private shownScope: WorkspaceScope;
  private lists: ReviewLists | undefined;
  private digest = '';
  private listedFor: string | undefined;
  /** Only the newest reload may apply its answer (the poll and commands overlap). */
  private started = 0;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly session: Session,
    private readonly openReviews: OpenReviews,
    private readonly log: vscode.LogOutputChannel,
    private readonly scopeSource?: ReviewScopeSource,
  ) {
    this.shownScope = scopeSource?.scope();
    this.subscription = vscode.Disposable.from(
      session.onDidChange(() => void this.reload()),
      ...(scopeSource ? [scopeSource.onDidChange(() => this.rescope())] : []),
    );
  }

  /** The groups as shown: in the picked workspace only. */
  get loaded(): readonly ReviewGroupNode[] {
    return this.groups.map(
      (g) =>
        new ReviewGroupNode(
          g.key,
          g.reviews.filter((n) => inScope(n.review.workspace, this.shownScope)),
        ),
    );
  }

  /** How many reviews in the picked workspace wait for my approval: the view's badge. */
  get waitingOnMe(): number {
    return rowsInScope(this.lists?.needsMe ?? [], this.shownScope).length;
  }

  /** The model changes often; the tree re-renders only when the picked workspace did. */
  private rescope(): void {
    const scope = this.scopeSource?.scope();
    if (scope === this.shownScope) return;
    this.shownScope = scope;
    this.changed.fire(undefined);
  }

  private newest: Promise<void> = Promise.resolve();

  /** Ask the server again; resolves once the newest answer (this one or a later reload's) is shown. */
  async reload(): Promise<void> {
    let run = this.load();
    this.newest = run;
    await run;
    // Superseded by a reload that started later: wait for that one, as callers expect current data.
    while (this.newest !== run) {
      run = this.newest;
      await run;
    }
  }

  private async load(): Promise<void> {
    const state = this.session.state;
    if (state.kind === 'signedOut') {
      this.started++;
      if (this.lists === undefined && this.groups.length === 0) return;
      this.groups = [];
      this.lists = undefined;
      this.digest = '';
      this.listedFor = undefined;
      this.openReviews.replace([]);
      this.changed.fire(undefined);
      return;
    }
    if (state.kind !== 'signedIn') return;
    const me = state.user.username;
    const ticket = ++this.started;
    let next: ReviewLists;
    try {
      const client = this.session.api();
      const [needsMe, open, published, withdrawn] = await Promise.all([
        client.listReviews({ status: 'open', needsMyApproval: true }),
        client.listReviews({ status: 'open', limit: OPEN_FETCHED }),
        client.listReviews({ status: 'published', limit: CLOSED_SHOWN }),
        client.listReviews({ status: 'withdrawn', limit: CLOSED_SHOWN }),
      ]);
      const closed = [...published.reviews, ...withdrawn.reviews].sort((a, b) =>
        (b.closedAt ?? b.updatedAt).localeCompare(a.closedAt ?? a.updatedAt),
      );
      next = { needsMe: needsMe.reviews, open: open.reviews, closed };
    } catch (err) {
      this.log.warn(`listing reviews failed: ${(err as Error).message}`);
      return;
    }
    if (ticket !== this.started || this.session.user?.username !== me) return;
    // Most polls change nothing: compare the answers, not the trees.
    const digest = `${me}\0${JSON.stringify(next)}`;
    if (digest === this.digest) return;
    const previous = this.listedFor === me ? this.lists : undefined;
    this.digest = digest;
    this.lists = next;
    this.listedFor = me;
    this.openReviews.replace(next.open);
    const grouped = groupReviews(next, me, CLOSED_SHOWN);
    this.groups = REVIEW_GROUP_KEYS.map(
      (key) =>
        new ReviewGroupNode(
          key,
          grouped[key].map((r) => new ReviewNode(r, key)),
        ),
    );
    this.changed.fire(undefined);
    this.listsChanged.fire({ previous, next, me });
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.getChildren();
    // Only groups with something in them; none at all lets the welcome text show.
    return this.loaded.filter((g) => g.reviews.length > 0);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.listsChanged.dispose();
  }
}
