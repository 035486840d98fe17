import * as vscode from 'vscode';
import type { ReviewListItemDto } from '../../shared/api/reviews';

/**
 * Open reviews by prompt path, as last fetched with the Reviews view: what the Prompts
 * view's "in review" and "approved" badges read. Stale by at most one refresh; the server
 * decides every action anyway.
 */
export class OpenReviews implements vscode.Disposable {
  private byPath = new Map<string, ReviewListItemDto>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  of(path: string): ReviewListItemDto | undefined {
    return this.byPath.get(path);
  }

  /** Newest first, as the server lists them: the newest open review of a path wins. */
  replace(reviews: readonly ReviewListItemDto[]): void {
    const next = new Map<string, ReviewListItemDto>();
    for (const r of reviews) if (r.status === 'open' && !next.has(r.path)) next.set(r.path, r);
    this.byPath = next;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
