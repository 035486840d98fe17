import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS_FILE_PATH } from '../core/access/accessPolicy';
import { offerGitHookWhenSignedIn } from './commands/installGitHookCommand';
import { registerCommands } from './commands/registerCommands';
import { registerPromptCodeLens } from './run/promptCodeLens';
import { ContextKeys } from './contextKeys';
import { LiveUpdates } from './live/liveUpdates';
import { OfflineIndicator } from './live/offlineIndicator';
import { PromptOpsDiagnostics } from './diagnostics/promptOpsDiagnostics';
import { EditGuard } from './enforcement/editGuard';
import { EnforcementController } from './enforcement/enforcementController';
import { enforcementMode } from './enforcement/enforcementMode';
import type { PromptOpsExtensionApi } from './extensionApi';
import { PromptOpsModel } from './model/promptOpsModel';
import { resolveServerUrl } from './server/serverUrl';
import { Session } from './session/session';
import { followTeamSigningKey, type TeamSigningKeyFollower } from './session/teamSigningKeyFollower';
import { noticeUnsignedCommits } from './session/unsignedCommitsNotice';
import { AccessStatusBarItem } from './statusBar/accessStatusBarItem';
import { LockStatusBarItem } from './statusBar/lockStatusBarItem';
import { AccessTreeDataProvider } from './views/access/accessTreeDataProvider';
import { PromptsTreeDataProvider } from './views/prompts/promptsTreeDataProvider';
import { ReviewsTreeDataProvider } from './views/reviews/reviewsTreeDataProvider';
import { ReviewPanel } from './panels/reviewPanel';
import { ReviewPanelSerializer } from './panels/reviewPanelSerializer';
import { ReviewActions } from './reviews/reviewActions';
import { publishFromEditor } from './reviews/publishFlow';
import { REVIEW_CONTENT_SCHEME, ReviewContentProvider } from './reviews/reviewContentProvider';
import { changedHeads } from './model/changedHeads';
import type { TreeNode } from './views/treeNode';
import { UsersTreeDataProvider } from './views/users/usersTreeDataProvider';
import { keepCompiledCodeIn } from './lazyModules';

/** For the lazy bundles (dist/lazy.js, dist/run.js): the classes they share with this one. */
export * as sharedModules from './sharedModules';

/** The folder PromptOps governs: the first with an access file, else the first folder. */
function repositoryRoot(): vscode.Uri | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const withAccessFile = folders.find(
    (f) => f.uri.scheme === 'file' && existsSync(join(f.uri.fsPath, ...ACCESS_FILE_PATH.split('/'))),
  );
  return (withAccessFile ?? folders[0])?.uri;
}

/**
 * Activation stays cheap: objects and registrations only. The index walk, the session
 * restore and the first enforcement pass run after `activate` has returned.
 */
export function activate(context: vscode.ExtensionContext): PromptOpsExtensionApi | undefined {
  const log = vscode.window.createOutputChannel('PromptOps', { log: true });
  context.subscriptions.push(log);
  const root = repositoryRoot();
  if (!root) {
    log.info('no folder open; PromptOps is idle');
    return undefined;
  }
  keepCompiledCodeIn(context.globalStorageUri.scheme === 'file' ? context.globalStorageUri.fsPath : undefined);
  const session = new Session(context.secrets, context.globalState, log);
  const model = new PromptOpsModel(root, session, log, context.workspaceState);
  const enforcement = new EnforcementController(model, context.globalState, log);
  const editGuard = new EditGuard(model, enforcementMode, log);
  const lockStatusBar = new LockStatusBarItem(enforcement, editGuard);
  const prompts = new PromptsTreeDataProvider(model);
  const access = new AccessTreeDataProvider(model);
  const users = new UsersTreeDataProvider(session, log);
  const reviews = new ReviewsTreeDataProvider(session, model.openReviews, log, model);
  const treeViews = {
    prompts: vscode.window.createTreeView<TreeNode>('promptops.prompts', {
      treeDataProvider: prompts,
      showCollapseAll: true,
    }),
    reviews: vscode.window.createTreeView<TreeNode>('promptops.reviews', { treeDataProvider: reviews }),
    access: vscode.window.createTreeView<TreeNode>('promptops.access', { treeDataProvider: access }),
    users: vscode.window.createTreeView<TreeNode>('promptops.users', { treeDataProvider: users }),
  };
  const reviewsView = treeViews.reviews;
  const reviewActions = new ReviewActions(model, log);
  const contents = new ReviewContentProvider({
    review: (id) => reviewActions.get(id),
    revision: async (id, n) => (await session.api().getReviewRevision(id, n)).content,
    atCommit: async (commit, path) => {
      const repo = await model.repository().repository();
      const bytes = repo && (await repo.hasCommit(commit)) ? await repo.fileAt(commit, path) : undefined;
      return bytes && new TextDecoder().decode(bytes);
    },
  });
  const review = {
    extensionUri: context.extensionUri,
    secrets: context.secrets,
    actions: reviewActions,
    contents,
    log,
    model,
    reviews,
    publish: (id: string) => publishFromEditor(model, reviewActions, id, { scripted: false }),
  };
  const reviewPanelSerializer = new ReviewPanelSerializer(review);
  context.subscriptions.push(
    session,
    model,
    enforcement,
    editGuard,
    prompts,
    access,
    users,
    new ContextKeys(model, enforcement),
    new PromptOpsDiagnostics(model),
    new OfflineIndicator(session, Object.values(treeViews)),
    new AccessStatusBarItem(model),
    lockStatusBar,
    ...Object.values(treeViews),
    reviews,
    reviewActions,
    reviews.onDidChangeTreeData(() => {
      const waiting = reviews.waitingOnMe;
      reviewsView.badge = waiting
        ? { value: waiting, tooltip: `${waiting} review${waiting === 1 ? '' : 's'} waiting for your approval` }
        : undefined;
    }),
    vscode.workspace.registerTextDocumentContentProvider(REVIEW_CONTENT_SCHEME, contents),
    contents,
    // A new revision, from anyone (the live refresh) or from this window: open diffs follow the new head.
    reviews.onDidChangeLists(({ previous, next }) => {
      for (const id of changedHeads(previous, next)) contents.reviewChanged(id);
    }),
    reviewActions.onDidChangeReview((changed) => contents.reviewChanged(changed.id, changed)),
    vscode.window.registerWebviewPanelSerializer(ReviewPanel.viewType, reviewPanelSerializer),
    ...registerCommands({
      model,
      users,
      access,
      review,
      extensionPath: context.extensionPath,
      log,
      secrets: context.secrets,
    }),
    ...registerPromptCodeLens(model),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('promptops.serverUrl'))
        void session.restore(resolveServerUrl(model.index?.policy.server));
    }),
  );

  let signingKeyFollower: TeamSigningKeyFollower | undefined;
  const ready = (async () => {
    await model.ready();
    await session.restore(resolveServerUrl(model.index?.policy.server));
    enforcement.schedule();
    context.subscriptions.push(new LiveUpdates(session, reviews, log));
    await enforcement.settled();
    log.info(`PromptOps ${(context.extension.packageJSON as { version: string }).version} ready in ${root.fsPath}`);
    // Git processes only now, one at a time, and the hook's check after them: each start
    // blocks the host's thread, so none runs while activation's work does (bench:activation).
    void model
      .startGitState()
      .then(() => {
        if (!model.hasAccessFile) return;
        const follower = (signingKeyFollower = followTeamSigningKey(model, log));
        context.subscriptions.push(follower, noticeUnsignedCommits(model, context.globalState, follower));
        context.subscriptions.push(offerGitHookWhenSignedIn(model, context.globalState, context.extensionPath, log));
      })
      .catch((err: unknown) => log.error(`reading git state failed: ${(err as Error).stack ?? String(err)}`));
  })();
  ready.catch((err: unknown) => log.error(`start-up failed: ${(err as Error).stack ?? String(err)}`));

  return {
    model,
    enforcement,
    editGuard,
    lockStatusBar: lockStatusBar.item,
    views: { prompts, access, users, reviews },
    treeViews,
    reviewActions,
    reviewPanel: (id: string) => ReviewPanel.find(id),
    restoreReviewPanel: (panel, state) => reviewPanelSerializer.deserializeWebviewPanel(panel, state),
    ready: () => ready,
    settled: async () => {
      await ready;
      await model.settled();
      await enforcement.settled();
      // File changes reported so far are checked, and any warning about them asked for.
      await editGuard.settled();
      // A sign-in points git's signing key at the person's team key (where the clone has one).
      await signingKeyFollower?.settled();
    },
  };
}

/**
 * Our read-only entries stay in the user's settings when the window closes: the next start
 * finds them in force before the extension activates (no moment in which a locked prompt
 * takes keystrokes), and a start whose permissions did not change writes no settings (each
 * write makes VS Code load its JSON and TypeScript support in the extension host: 300–400 ms
 * of its thread, bench:activation). They change when permissions do, and go when
 * enforcement is turned off (README: Enforcement in the editor).
 */
export function deactivate(): void {}
