import * as vscode from 'vscode';
import type { ReviewDto } from '../../shared/api/reviews';
import type { PromptOpsModel } from '../model/promptOpsModel';
import type { PublishOutcome } from '../../workflows/publishReview';
import { requestReview } from '../../workflows/requestReview';
import { reviewBaseCommit } from '../../workflows/reviewBaseCommit';
import { loadPublishReview, loadReviewComparisons } from '../lazyModules';
import { RELEASE_REMOTE } from '../../workflows/releaseRemote';
import type { ReviewComparisons } from '../../workflows/reviewComparisons';
import { WorkspaceWorkingTree } from '../model/workspaceWorkingTree';

/**
 * The review operations, shared by the commands and the review panel. Each goes to the
 * server (never offline) and announces the updated review so views and panels refresh.
 */
export class ReviewActions implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ReviewDto>();
  readonly onDidChangeReview = this.changed.event;

  constructor(
    private readonly model: PromptOpsModel,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get(id: string): Promise<ReviewDto> {
    return this.model.session.api().getReview(id);
  }

  /**
   * What changed in `review`, each comparison the panel offers (the workflow `review show`
   * uses): the previous revision from the server, the base commit from this folder's git
   * (fetched when missing), the published version from the review.
   */
  async comparisons(review: ReviewDto): Promise<ReviewComparisons> {
    const { reviewComparisons } = await loadReviewComparisons();
    const repo = await this.model.repository().repository();
    return reviewComparisons(review, { client: this.model.session.api(), repo, remote: RELEASE_REMOTE });
  }

  /**
   * Request review of the file as it is now (saved text), or add a revision to my open
   * review of it. Sends the branch and the commit the change is based on (for the
   * reviewer's own git); the server compares with its own published version.
   */
  async request(path: string, note: string): Promise<ReviewDto> {
    const client = this.model.session.api();
    const uri = this.model.uriOf(path);
    const bytes = await vscode.workspace.fs.readFile(uri);
    const content = new TextDecoder().decode(bytes);
    const repo = await this.model.repository().repository();
    const baseCommit = repo ? await reviewBaseCommit(repo, path, bytes) : undefined;
    const branch = repo ? await repo.currentBranch() : undefined;
    const git = { ...(branch ? { gitBranch: branch } : {}), ...(baseCommit ? { gitCommit: baseCommit } : {}) };
    const { review, revised } = await requestReview(
      client,
      { path, content, note, ...git },
      { author: this.model.session.user?.username },
    );
    this.log.info(
      revised
        ? `review ${review.id}: revision ${review.revision} of ${path}`
        : `review ${review.id} requested for ${path}`,
    );
    this.changed.fire(review);
    return review;
  }

  /**
   * Verdicts name the head the reviewer was shown (`headHash`, from the panel's model or
   * the review a command displayed), never one fetched now: a revision that arrived while
   * they read gets 409 (`stale_head`) instead of their approval.
   */
  async approve(id: string, headHash: string, note = ''): Promise<ReviewDto> {
    const client = this.model.session.api();
    const review = await client.approve(id, { headHash, note });
    this.log.info(`review ${id}: approved by ${this.model.session.user?.username}`);
    this.changed.fire(review);
    return review;
  }

  async requestChanges(id: string, headHash: string, note: string): Promise<ReviewDto> {
    const client = this.model.session.api();
    const review = await client.requestChanges(id, { note, headHash });
    this.changed.fire(review);
    return review;
  }

  async comment(id: string, body: string): Promise<ReviewDto> {
    const review = await this.model.session.api().comment(id, body);
    this.changed.fire(review);
    return review;
  }

  /**
   * Publish through the shared flow (`src/workflows/publishReview.ts`); this shell adds
   * what only an editor has: unsaved changes to refuse, and a progress notification.
   */
  async publish(id: string): Promise<PublishOutcome> {
    const client = this.model.session.api();
    const review = await client.getReview(id);
    const repo = await this.model.repository().repository();
    if (!repo) throw new Error('This folder is not a git repository, so the release cannot be committed.');
    const uri = this.model.uriOf(review.path);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) throw new Error(`${review.path} has unsaved changes; save or revert them first.`);
    const { publishReview } = await loadPublishReview();
    const tree = new WorkspaceWorkingTree(this.model.root, this.model.expectedWrites);
    const committer = this.model.actor;
    const outcome = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Publishing ${review.name} to ${review.env}`,
        cancellable: false,
      },
      (progress) =>
        publishReview(
          id,
          { client, repo, tree, progress: (message) => progress.report({ message }) },
          committer ? { committer } : {},
        ),
    );
    this.log.info(
      `review ${id}: published ${review.path} (${review.env}) in commit ${outcome.commit}${outcome.alreadyCommitted ? ' (already committed)' : ''}`,
    );
    await this.model.reload();
    this.changed.fire(await client.getReview(id));
    return outcome;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
