import * as vscode from 'vscode';
import type { ReviewDto } from '../../shared/api/reviews';
import { isUnreachable } from '../server/serverErrors';

export const REVIEW_CONTENT_SCHEME = 'promptops-review';

/** The documents of one review's diff: its published version (`base`) and its head. */
export function reviewContentUri(
  review: Pick<ReviewDto, 'id' | 'path' | 'revision'>,
  side: 'base' | 'head',
): vscode.Uri {
  return vscode.Uri.from({
    scheme: REVIEW_CONTENT_SCHEME,
    path: `/${review.path}`,
    query: new URLSearchParams({ id: review.id, side, rev: String(review.revision) }).toString(),
  });
}

/**
 * Read-only documents for VS Code's own diff editor: the published version and the
 * proposed one of a review, as the server holds them (nothing is checked out). Any review
 * can be shown, also one this window never loaded (a diff editor restored after a reload,
 * a link): the server is asked on demand; the last copy read serves only when it does not answer.
 */
export class ReviewContentProvider implements vscode.TextDocumentContentProvider {
  private readonly reviews = new Map<string, ReviewDto>();

  constructor(
    /** The review as the server holds it now (the signed-in session's client). */
    private readonly fetch: (id: string) => Promise<ReviewDto>,
  ) {}

  remember(review: ReviewDto): void {
    this.reviews.set(review.id, review);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const params = new URLSearchParams(uri.query);
    const id = params.get('id') ?? '';
    const side = params.get('side') === 'base' ? 'base' : 'head';
    const review = await this.reviewFor(id, params.get('rev'));
    return side === 'base' ? (review.baseContent ?? '') : review.headContent;
  }

  /** The cached copy when it is the revision asked for; else the server's; the cache again when offline. */
  private async reviewFor(id: string, rev: string | null): Promise<ReviewDto> {
    const cached = this.reviews.get(id);
    if (cached && rev !== null && String(cached.revision) === rev) return cached;
    try {
      const review = await this.fetch(id);
      this.remember(review);
      return review;
    } catch (err) {
      if (cached && isUnreachable(err)) return cached;
      throw new Error(`review #${id} could not be read from the server: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Opens `vscode.diff` on the two sides. */
  async openDiff(review: ReviewDto): Promise<void> {
    this.remember(review);
    const base = review.baseHash ? 'published' : 'nothing published';
    await vscode.commands.executeCommand(
      'vscode.diff',
      reviewContentUri(review, 'base'),
      reviewContentUri(review, 'head'),
      `${review.name}: ${base} ↔ review revision ${review.revision}`,
    );
  }
}
