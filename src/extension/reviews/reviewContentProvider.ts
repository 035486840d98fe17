import * as vscode from 'vscode';
import type { ReviewDto } from '../../shared/api/reviews';
import { isUnreachable } from '../server/serverErrors';

export const REVIEW_CONTENT_SCHEME = 'promptops-review';

/**
 * One side of a review's diff: its published version (`base`), its head, an earlier
 * revision (`revision`, from the server) or the file at its base commit (`commit`, from
 * this clone's git: a content hash, so whoever sent the id cannot forge what it holds).
 */
export type ReviewSide =
  { side: 'base' } | { side: 'head' } | { side: 'revision'; number: number } | { side: 'commit'; commit: string };

/** What the panel's tabs compare with, as a side of VS Code's diff editor. */
export type DiffAgainst = 'previousRevision' | 'baseCommit' | 'published';

export function reviewContentUri(review: Pick<ReviewDto, 'id' | 'path' | 'revision'>, which: ReviewSide): vscode.Uri {
  const query = new URLSearchParams({ id: review.id, side: which.side, rev: String(review.revision) });
  if (which.side === 'revision') query.set('n', String(which.number));
  if (which.side === 'commit') query.set('commit', which.commit);
  return vscode.Uri.from({ scheme: REVIEW_CONTENT_SCHEME, path: `/${review.path}`, query: query.toString() });
}

export interface ReviewContentSources {
  /** The review as the server holds it now (the signed-in session's client). */
  review(id: string): Promise<ReviewDto>;
  /** One revision's content, from the server (with the same read rules as the review). */
  revision(id: string, number: number): Promise<string>;
  /** The file at a commit in this clone's git; undefined when the commit or the file is not there. */
  atCommit(commit: string, path: string): Promise<string | undefined>;
}

/**
 * Read-only documents for VS Code's own diff editor: the published version and the
 * proposed one of a review, as the server holds them (nothing is checked out). Any review
 * can be shown, also one this window never loaded (a diff editor restored after a reload,
 * a link): the server is asked on demand; the last copy read serves only when it does not answer.
 */
export class ReviewContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reviews = new Map<string, ReviewDto>();
  /** Reviews that moved on since their copy was read: the server is asked again (the copy serves offline only). */
  private readonly stale = new Set<string>();
  private readonly changedUri = new vscode.EventEmitter<vscode.Uri>();
  /** VS Code reads an open document of ours again when this fires for its URI. */
  readonly onDidChange = this.changedUri.event;

  constructor(private readonly sources: ReviewContentSources) {}

  remember(review: ReviewDto): void {
    this.reviews.set(review.id, review);
    this.stale.delete(review.id);
  }

  /**
   * Review `id` has a new head (a revision from anyone, seen by the live refresh or made
   * here): every open document showing its head or its published version is read again, so
   * an open diff shows the new head. Revisions and commits never change; they stay.
   */
  reviewChanged(id: string, latest?: ReviewDto): void {
    if (latest) this.remember(latest);
    else this.stale.add(id);
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== REVIEW_CONTENT_SCHEME) continue;
      const params = new URLSearchParams(doc.uri.query);
      const side = params.get('side');
      if (params.get('id') === id && (side === 'head' || side === 'base')) this.changedUri.fire(doc.uri);
    }
  }

  dispose(): void {
    this.changedUri.dispose();
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const params = new URLSearchParams(uri.query);
    const id = params.get('id') ?? '';
    const side = params.get('side');
    if (side === 'revision') return this.sources.revision(id, Number(params.get('n')));
    if (side === 'commit') {
      const commit = params.get('commit') ?? '';
      const path = uri.path.replace(/^\//, '');
      const text = await this.sources.atCommit(commit, path);
      if (text === undefined) throw new Error(`${path} is not at commit ${commit.slice(0, 7)} in this clone`);
      return text;
    }
    const review = await this.reviewFor(id, params.get('rev'));
    return side === 'base' ? (review.baseContent ?? '') : review.headContent;
  }

  /**
   * The cached copy when it is current and not older than the revision asked for (a
   * document opened at an earlier revision shows the head); else the server's; the cache
   * again when offline.
   */
  private async reviewFor(id: string, rev: string | null): Promise<ReviewDto> {
    const cached = this.reviews.get(id);
    if (cached && !this.stale.has(id) && rev !== null && cached.revision >= Number(rev)) return cached;
    try {
      const review = await this.sources.review(id);
      this.remember(review);
      return review;
    } catch (err) {
      if (cached && isUnreachable(err)) return cached;
      throw new Error(`review #${id} could not be read from the server: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Opens `vscode.diff` of the review's head against `against` (the panel's chosen tab;
   * default the published version), titled with what it compares.
   */
  async openDiff(review: ReviewDto, against: DiffAgainst = 'published'): Promise<void> {
    this.remember(review);
    let left: ReviewSide = { side: 'base' };
    let label = review.baseHash ? 'published' : 'nothing published';
    if (against === 'previousRevision' && review.revision > 1) {
      left = { side: 'revision', number: review.revision - 1 };
      label = `revision ${review.revision - 1}`;
    } else if (against === 'baseCommit' && review.gitCommit) {
      left = { side: 'commit', commit: review.gitCommit };
      label = `base commit ${review.gitCommit.slice(0, 7)}`;
    }
    await vscode.commands.executeCommand(
      'vscode.diff',
      reviewContentUri(review, left),
      reviewContentUri(review, { side: 'head' }),
      `${review.name}: ${label} ↔ review revision ${review.revision}`,
    );
  }
}
