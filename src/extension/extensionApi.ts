import type * as vscode from 'vscode';
import type { EditGuard } from './enforcement/editGuard';
import type { EnforcementController } from './enforcement/enforcementController';
import type { PromptOpsModel } from './model/promptOpsModel';
import type { ReviewPanel } from './panels/reviewPanel';
import type { ReviewActions } from './reviews/reviewActions';
import type { ReviewsTreeDataProvider } from './views/reviews/reviewsTreeDataProvider';
import type { AccessTreeDataProvider } from './views/access/accessTreeDataProvider';
import type { PromptsTreeDataProvider } from './views/prompts/promptsTreeDataProvider';
import type { TreeNode } from './views/treeNode';
import type { UsersTreeDataProvider } from './views/users/usersTreeDataProvider';

/**
 * What `activate` returns (`vscode.extensions.getExtension('promptops.promptops').exports`):
 * the live model and views, for the integration tests and for other extensions to read.
 */
export interface PromptOpsExtensionApi {
  readonly model: PromptOpsModel;
  readonly enforcement: EnforcementController;
  readonly editGuard: EditGuard;
  /** The Read-only / Writable item shown for the active editor's file. */
  readonly lockStatusBar: vscode.StatusBarItem;
  readonly views: {
    readonly prompts: PromptsTreeDataProvider;
    readonly access: AccessTreeDataProvider;
    readonly users: UsersTreeDataProvider;
    readonly reviews: ReviewsTreeDataProvider;
  };
  /** The views as VS Code shows them (badge, message). */
  readonly treeViews: {
    readonly prompts: vscode.TreeView<TreeNode>;
    readonly reviews: vscode.TreeView<TreeNode>;
    readonly access: vscode.TreeView<TreeNode>;
    readonly users: vscode.TreeView<TreeNode>;
  };
  readonly reviewActions: ReviewActions;
  /** The open review panel for a review, if any. */
  reviewPanel(id: string): ReviewPanel | undefined;
  /** What VS Code does after a window reload: hand a bare panel and its saved state to our serializer. */
  restoreReviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  /** Resolves when the index is built, the session restored and enforcement applied. */
  ready(): Promise<void>;
  /**
   * Resolves when everything triggered so far (a sign-in, a file change) has reached views and
   * settings, and every notification it calls for has been asked of VS Code.
   */
  settled(): Promise<void>;
}
