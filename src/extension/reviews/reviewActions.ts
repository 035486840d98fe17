import * as vscode from 'vscode';
import type { ReviewDto } from '../../shared/api/reviews';
import type { PromptOpsModel } from '../model/promptOpsModel';
import type { CheckoutOutcome } from '../../workflows/checkoutReview';
import type { PublishOutcome } from '../../workflows/publishReview';
import type { PushPublishOutcome } from '../../workflows/pushPublish';
import { reviewBaseCommit } from '../../workflows/reviewBaseCommit';
import { runReviewEvaluation, type ReviewEvaluationOutcome } from '../../workflows/runReviewEvaluation';
import {
  loadCheckoutReview,
  loadPublishReview,
  loadPushPublish,
  loadReleaseTarget,
  loadRequestReview,
  loadReviewComparisons,
} from '../lazyModules';
import type { ReviewComparisons } from '../../workflows/reviewComparisons';
import { temporaryFolder } from '../../workflows/temporaryFolder';
import { WorkspaceWorkingTree } from '../model/workspaceWorkingTree';

/** Where a publish is pushed: the remote and its release branch. */
export interface PushTarget {
  remote: string;
  branch: string;
}

/** A publish from the editor; `push` when it was pushed (publishAndPush), what happened there. */
export type EditorPublishOutcome = PublishOutcome & { push?: PushPublishOutcome };

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
    const { RELEASE_REMOTE } = await loadReleaseTarget();
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
    const { requestReview } = await loadRequestReview();
    const { review, revised } = await requestReview(
      client,
      { path, content, note, ...git },
      { tree: new WorkspaceWorkingTree(this.model.root), author: this.model.session.user?.username },
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
   * The server evaluates the head (it may take a while: one model call per case and run,
   * waited for as long as the server lets the run take), with progress in a notification
   * and through `progress`; announces the review. `no-answer` when even that passed.
   */
  async runEvaluation(
    id: string,
    progress: (message: string) => void = () => undefined,
  ): Promise<{ review: ReviewDto; outcome: ReviewEvaluationOutcome }> {
    const client = this.model.session.api();
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Evaluating review #${id}`, cancellable: false },
      (shown) =>
        runReviewEvaluation(client, id, (message) => {
          shown.report({ message });
          progress(message);
        }),
    );
    if (outcome.kind === 'ran') {
      const { run } = outcome;
      this.log.info(
        `review ${id}: evaluation run ${run.id} of revision ${run.revision}: ${run.passed ? 'passed' : 'failed'}`,
      );
    } else this.log.warn(`review ${id}: ${outcome.message}`);
    const review = await client.getReview(id);
    this.changed.fire(review);
    return { review, outcome };
  }

  /**
   * `review checkout` from the editor: the review's head, from the server and checked
   * against its hash, into the working file. Refused (a WorkflowRefusal, nothing changed)
   * over local edits that are neither HEAD's nor the review's, and over unsaved ones.
   */
  async checkout(id: string): Promise<CheckoutOutcome> {
    const client = this.model.session.api();
    const repo = await this.model.repository().repository();
    if (!repo) throw new Error('This folder is not a git repository, so there is no HEAD to check the file against.');
    const review = await client.getReview(id);
    this.refuseUnsaved(review.path);
    const { checkoutReview } = await loadCheckoutReview();
    const tree = new WorkspaceWorkingTree(this.model.root, this.model.expectedWrites);
    const outcome = await checkoutReview(id, { client, repo, tree });
    this.log.info(
      `review ${id}: ${outcome.wrote ? 'checked out' : 'already in place:'} ${review.path} (revision ${outcome.review.revision})`,
    );
    await this.model.settled();
    return outcome;
  }

  /**
   * Publish through the shared flows: on the checked-out branch (`publishReview`), or, with
   * `push`, on the release branch in a temporary worktree and pushed (`publishAndPush`, as
   * `publish --push`). This shell adds what only an editor has: unsaved changes to refuse,
   * and a progress notification.
   */
  async publish(id: string, options: { push?: PushTarget } = {}): Promise<EditorPublishOutcome> {
    const client = this.model.session.api();
    const review = await client.getReview(id);
    const repo = await this.model.repository().repository();
    if (!repo) throw new Error('This folder is not a git repository, so the release cannot be committed.');
    const committer = this.model.actor;
    const title = options.push
      ? `Publishing ${review.name} to ${review.env} and pushing to ${options.push.remote}/${options.push.branch}`
      : `Publishing ${review.name} to ${review.env}`;
    let outcome: EditorPublishOutcome;
    if (options.push) {
      const target = options.push;
      const { publishAndPush } = await loadPushPublish();
      const pushed = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: false },
        (progress) =>
          publishAndPush(
            id,
            {
              client,
              repo,
              tree: new WorkspaceWorkingTree(this.model.root, this.model.expectedWrites),
              progress: (message) => progress.report({ message }),
              tempDir: temporaryFolder,
              openTree: (root) => new WorkspaceWorkingTree(vscode.Uri.file(root)),
            },
            { remote: target.remote, branch: target.branch, ...(committer ? { committer } : {}) },
          ),
      );
      outcome = { ...pushed.publish, push: pushed };
      this.log.info(
        `review ${id}: published ${review.path} (${review.env}); push to ${pushed.remote}/${pushed.branch}: ${pushed.result.kind} ${pushed.result.commit}`,
      );
    } else {
      this.refuseUnsaved(review.path);
      const { publishReview } = await loadPublishReview();
      const tree = new WorkspaceWorkingTree(this.model.root, this.model.expectedWrites);
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: false },
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
    }
    await this.model.reload();
    this.changed.fire(await client.getReview(id));
    return outcome;
  }

  private refuseUnsaved(path: string): void {
    const uri = this.model.uriOf(path);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) throw new Error(`${path} has unsaved changes; save or revert them first.`);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
