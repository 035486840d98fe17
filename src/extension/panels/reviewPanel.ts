import * as vscode from 'vscode';
import type { ReviewDto } from '../../shared/api/reviews';
import {
  isWebviewMessage,
  type HostMessage,
  type ReviewViewModel,
  type WebviewMessage,
} from '../../shared/webviewProtocol';
import { checkoutNotice } from '../reviews/checkoutNotice';
import { showCheckoutNotice } from '../reviews/showCheckoutNotice';
import type { ReviewActions } from '../reviews/reviewActions';
import type { ReviewContentProvider } from '../reviews/reviewContentProvider';
import { reviewViewModel } from '../reviews/reviewViewModel';
import { isRefusal, isStaleHead, isUnreachable } from '../server/serverErrors';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { loadRunPrompt } from '../lazyModules';
import { reviewPanelHtml } from './reviewPanelHtml';

/** How often, and how long, the panel looks for a run the server may still finish. */
const RUN_WATCH_EVERY_MS = 5_000;
const RUN_WATCH_MS = 5 * 60_000;

export interface ReviewPanelDeps {
  extensionUri: vscode.Uri;
  actions: ReviewActions;
  contents: ReviewContentProvider;
  log: vscode.LogOutputChannel;
  model: PromptOpsModel;
  /** Where Set Model API Key keeps the endpoint's key (Compare behaviour uses it). */
  secrets: vscode.SecretStorage;
  /** Publish as the Publish command does (asking about the push per `promptops.publish.push`). */
  publish(reviewId: string): Promise<unknown>;
}

/**
 * The review panel: one per review (createOrShow), rendering a ReviewViewModel in the
 * webview and carrying out what its buttons ask through ReviewActions. Revived after a
 * reload by ReviewPanelSerializer from the webview's saved state.
 */
export class ReviewPanel implements vscode.Disposable {
  static readonly viewType = 'promptops.review';
  private static readonly open = new Map<string, ReviewPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private review: ReviewDto | undefined;
  /** Stops watching for a run the client stopped waiting for (watchForRun). */
  private stopWatch: (() => void) | undefined;

  static createOrShow(deps: ReviewPanelDeps, reviewId: string): ReviewPanel {
    const existing = ReviewPanel.open.get(reviewId);
    if (existing) {
      existing.panel.reveal();
      void existing.load();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      ReviewPanel.viewType,
      'Review',
      vscode.ViewColumn.Active,
      ReviewPanel.options(deps.extensionUri),
    );
    return new ReviewPanel(panel, deps, reviewId);
  }

  static revive(panel: vscode.WebviewPanel, deps: ReviewPanelDeps, reviewId: string): ReviewPanel {
    panel.webview.options = ReviewPanel.options(deps.extensionUri);
    return new ReviewPanel(panel, deps, reviewId);
  }

  static find(reviewId: string): ReviewPanel | undefined {
    return ReviewPanel.open.get(reviewId);
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')],
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: ReviewPanelDeps,
    readonly reviewId: string,
  ) {
    ReviewPanel.open.set(reviewId, this);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'promptops.svg');
    panel.webview.html = reviewPanelHtml(panel.webview, deps.extensionUri, 'PromptOps review');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isWebviewMessage(m)) void this.handleMessage(m);
        else deps.log.warn('review panel: ignored a malformed message from the webview');
      }),
      deps.actions.onDidChangeReview((r) => {
        if (r.id === reviewId) void this.show(r, false);
      }),
    );
  }

  /**
   * Fetch the review; when the server does not answer, keep showing the last copy read-only.
   * Resolves to what the page was sent to show (undefined: an error instead).
   */
  async load(): Promise<ReviewViewModel | undefined> {
    try {
      return await this.show(await this.deps.actions.get(this.reviewId), false);
    } catch (err) {
      if (this.review && isUnreachable(err)) return await this.show(this.review, true);
      this.post({ type: 'error', message: (err as Error).message });
      return undefined;
    }
  }

  private async show(review: ReviewDto, offline: boolean): Promise<ReviewViewModel> {
    this.review = review;
    this.deps.contents.remember(review);
    this.panel.title = `Review: ${review.name} (${review.env})`;
    const model = reviewViewModel(review, await this.deps.actions.comparisons(review), offline);
    this.post({ type: 'review', model });
    return model;
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  /** Carries out what the webview asked (commands and tests without a browser come in the same way). */
  async handleMessage(message: WebviewMessage): Promise<void> {
    const { actions } = this.deps;
    const run = async (label: string, work: () => Promise<unknown>) => {
      this.post({ type: 'busy', busy: true, label });
      try {
        await work();
      } catch (err) {
        if (isStaleHead(err)) return await this.reloadAfterStaleVerdict();
        const message = (err as Error).message;
        this.post({ type: 'error', message });
        // A refusal (ours or the server's, a 429 too) changed nothing and says what to do: a warning, not a failure.
        if (isRefusal(err)) void vscode.window.showWarningMessage(`PromptOps: ${message}`);
        else void vscode.window.showErrorMessage(`PromptOps: ${message}`);
      } finally {
        this.post({ type: 'busy', busy: false });
      }
    };
    switch (message.type) {
      case 'ready':
      case 'refresh':
        await this.load();
        return;
      // The head the page showed, not the server's latest: approving what was read.
      case 'approve':
        return run('Approving…', () => actions.approve(this.reviewId, message.headHash, message.note));
      case 'requestChanges':
        return run('Requesting changes…', () => actions.requestChanges(this.reviewId, message.headHash, message.note));
      case 'comment':
        return run('Commenting…', () => actions.comment(this.reviewId, message.body));
      case 'publish':
        return run('Publishing…', () => this.deps.publish(this.reviewId));
      case 'checkout':
        return run('Checking out…', async () => {
          const outcome = await actions.checkout(this.reviewId);
          this.post({ type: 'notice', message: checkoutNotice(outcome) });
          showCheckoutNotice(outcome);
        });
      case 'runEvaluation':
        return run('Running the evaluation on the server…', async () => {
          const before = this.review?.evaluation.latest?.id ?? null;
          const { review, outcome } = await actions.runEvaluation(this.reviewId, (label) =>
            this.post({ type: 'busy', busy: true, label }),
          );
          if (outcome.kind === 'ran') return;
          const latest = review.evaluation.latest;
          if (latest && latest.id !== before) return this.runFinished(latest);
          const notice = `${outcome.message} This panel reloads when it does.`;
          this.post({ type: 'notice', message: notice });
          void vscode.window.showWarningMessage(`PromptOps: ${notice}`);
          this.watchForRun(before);
        });
      case 'compareBehaviour':
        return run('Running the published and the proposed version…', async () => {
          const review = this.review ?? (await actions.get(this.reviewId));
          const comparison = await (
            await loadRunPrompt()
          ).compareReviewBehaviour(this.deps.model, this.deps.secrets, review, message.model);
          if (!comparison) return;
          this.post({ type: 'behaviour', headHash: review.reviewedHash, comparison });
        });
      case 'openDiff':
        if (this.review) await this.deps.contents.openDiff(this.review, message.comparison);
        return;
    }
  }

  /**
   * After a run the client stopped waiting for: reload the review now and then until a
   * newer run of the head shows (the server finished it) or the watch gives up.
   */
  private watchForRun(seenRunId: string | null): void {
    this.stopWatch?.();
    const started = Date.now();
    const timer = setInterval(() => {
      void (async () => {
        if (Date.now() - started > RUN_WATCH_MS) return this.stopWatch?.();
        const review = await this.deps.actions.get(this.reviewId).catch(() => undefined);
        const latest = review?.evaluation.latest;
        if (!review || !latest || latest.id === seenRunId) return;
        this.stopWatch?.();
        await this.show(review, false);
        this.runFinished(latest);
      })();
    }, RUN_WATCH_EVERY_MS);
    this.stopWatch = () => {
      clearInterval(timer);
      this.stopWatch = undefined;
    };
  }

  private runFinished(run: { id: string; passed: boolean }): void {
    this.post({
      type: 'notice',
      message: `Evaluation run #${run.id} finished on the server: ${run.passed ? 'passed' : 'failed'}.`,
    });
  }

  /** The server refused a verdict on the head shown: show the new head and say what changed. */
  private async reloadAfterStaleVerdict(): Promise<void> {
    const seen = this.review;
    await this.load();
    const now = this.review;
    const newer = now && seen ? now.revisions.filter((r) => r.number > seen.revision) : [];
    const arrived =
      newer.length === 0
        ? 'The review changed'
        : `${newer.length === 1 ? 'Revision' : 'Revisions'} ${newer.map((r) => r.number).join(', ')} arrived (by ${[...new Set(newer.map((r) => r.author))].join(', ')})`;
    const notice = `${arrived} while you were reading; nothing was sent. Review it again.`;
    this.post({ type: 'notice', message: notice });
    void vscode.window.showWarningMessage(`PromptOps: ${notice}`);
  }

  dispose(): void {
    this.stopWatch?.();
    ReviewPanel.open.delete(this.reviewId);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
