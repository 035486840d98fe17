import * as vscode from 'vscode';
import type { ReviewDto } from '../../shared/api/reviews';

export const REVIEW_CONTENT_SCHEME = 'promptops-review';

/**
 * Read-only documents for VS Code's own diff editor: the published version and the
 * proposed one of a review, as the server holds them (nothing is checked out).
 */
export class ReviewContentProvider implements vscode.TextDocumentContentProvider {
  private readonly reviews = new Map<string, ReviewDto>();

  remember(review: ReviewDto): void {
    this.reviews.set(review.id, review);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const params = new URLSearchParams(uri.query);
    const review = this.reviews.get(params.get('id') ?? '');
    if (!review) return '';
    return params.get('side') === 'base' ? (review.baseContent ?? '') : review.headContent;
  }

  /** Opens `vscode.diff` on the two sides. */
  async openDiff(review: ReviewDto): Promise<void> {
    this.remember(review);
    const uri = (side: 'base' | 'head') =>
      vscode.Uri.from({
        scheme: REVIEW_CONTENT_SCHEME,
        path: `/${review.path}`,
        query: new URLSearchParams({ id: review.id, side, rev: String(review.revision) }).toString(),
      });
    const base = review.baseHash ? 'published' : 'nothing published';
    await vscode.commands.executeCommand(
      'vscode.diff',
      uri('base'),
      uri('head'),
      `${review.name}: ${base} ↔ review revision ${review.revision}`,
    );
  }
}
