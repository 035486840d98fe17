import type * as vscode from 'vscode';
import { isReviewPanelState } from '../../shared/webviewProtocol';
import { ReviewPanel, type ReviewPanelDeps } from './reviewPanel';

/** Brings review panels back after a window reload, from the review id the webview saved with setState. */
export class ReviewPanelSerializer implements vscode.WebviewPanelSerializer<unknown> {
  constructor(private readonly deps: ReviewPanelDeps) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isReviewPanelState(state)) {
      panel.dispose();
      return;
    }
    ReviewPanel.revive(panel, this.deps, state.reviewId);
  }
}
