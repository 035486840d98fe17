import * as vscode from 'vscode';
import type { ReviewDto } from '../../shared/api/reviews';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { ReviewPanel, type ReviewPanelDeps } from '../panels/reviewPanel';
import { ReviewNode } from '../views/reviews/reviewNode';
import type { ReviewsTreeDataProvider } from '../views/reviews/reviewsTreeDataProvider';
import type { CheckoutOutcome } from '../../workflows/checkoutReview';
import { isRefusal } from '../server/serverErrors';
import { showCheckoutNotice } from './showCheckoutNotice';
import { publishFromEditor, type PublishRequest } from './publishFlow';
import type { EditorPublishOutcome } from './reviewActions';
import { reviewPlacement } from '../../core/review/policyApproval';

/**
 * A review from a Reviews view row, `{ id }` (scripted; with `headHash`, the head the
 * caller showed, for a verdict), or `{ path }` / a file: my open review of it.
 */
export type ReviewTarget = ReviewNode | { id: string; headHash?: string } | { path: string } | vscode.Uri | undefined;

/** The head a scripted caller says it showed, if it named one. */
function shownHead(target: ReviewTarget): string | undefined {
  return target && !(target instanceof vscode.Uri) && 'headHash' in target ? target.headHash : undefined;
}

/**
 * A verdict from a command: scripted callers name the head they showed; a person gets the
 * change in the review panel and a button for the revision shown there, so nothing is
 * approved unseen (the panel reloads and says what changed when the server refuses).
 */
async function verdictFromPanel(
  deps: ReviewCommandDeps,
  id: string,
  verb: 'Approve' | 'Request changes',
  send: (panel: ReviewPanel, headHash: string) => Promise<void>,
): Promise<void> {
  const panel = ReviewPanel.createOrShow(deps, id);
  const shown = await panel.load();
  if (!shown) return;
  // Say why at once rather than offer a button the server will refuse.
  const state = shown.actions[verb === 'Approve' ? 'approve' : 'requestChanges'];
  if (!state.allowed) {
    void vscode.window.showWarningMessage(`PromptOps: ${state.reason}`);
    return;
  }
  const choice = await vscode.window.showInformationMessage(
    `PromptOps: ${shown.name} (${shown.env}) is open in the review panel. ${verb} revision ${shown.revision} as shown there?`,
    verb,
  );
  if (choice === verb) await send(panel, shown.headHash);
}

export interface ReviewCommandDeps extends ReviewPanelDeps {
  model: PromptOpsModel;
  reviews: ReviewsTreeDataProvider;
}

async function resolveReviewId(deps: ReviewCommandDeps, target: ReviewTarget): Promise<string | undefined> {
  if (target instanceof ReviewNode) return target.review.id;
  if (target && 'id' in target && typeof target.id === 'string') return target.id;
  const path =
    target instanceof vscode.Uri
      ? deps.model.relativePath(target)
      : target && 'path' in target
        ? target.path
        : undefined;
  const client = deps.model.session.api();
  const open = (await client.listReviews({ status: 'open', ...(path ? { path } : {}) })).reviews;
  if (open.length === 1 && path) return open[0].id;
  const picked = await vscode.window.showQuickPick(
    open.map((r) => ({
      label: r.name,
      description: `${reviewPlacement(r)} · ${r.author}`,
      detail: r.path,
      id: r.id,
    })),
    { title: 'PromptOps: pick a review', placeHolder: open.length ? undefined : 'No open reviews' },
  );
  return picked?.id;
}

function fail(err: unknown, scripted: boolean): undefined {
  if (scripted) throw err;
  void vscode.window.showErrorMessage(`PromptOps: ${(err as Error).message}`);
  return undefined;
}

/** Request Review of a prompt (or a new revision of my open review of it). */
export async function requestReviewCommand(
  deps: ReviewCommandDeps,
  target?: { path: string; note?: string } | vscode.Uri,
): Promise<ReviewDto | undefined> {
  const scripted = target !== undefined && !(target instanceof vscode.Uri) && target.note !== undefined;
  const path =
    target instanceof vscode.Uri
      ? deps.model.relativePath(target)
      : (target?.path ??
        (vscode.window.activeTextEditor && deps.model.relativePath(vscode.window.activeTextEditor.document.uri)));
  if (!path) return fail(new Error('Open or select a prompt to request review of.'), scripted);
  const decision = deps.model.decide('review.request', path);
  if (!decision?.allowed) return fail(new Error(decision?.reason ?? 'Sign in first.'), scripted);
  const open = vscode.workspace.textDocuments.find((d) => deps.model.relativePath(d.uri) === path);
  if (open?.isDirty) await open.save();
  const note =
    target && !(target instanceof vscode.Uri) && target.note !== undefined
      ? target.note
      : await vscode.window.showInputBox({
          title: `PromptOps: Request Review of ${path}`,
          prompt: 'What changed and why (shown to reviewers)',
          ignoreFocusOut: true,
        });
  if (note === undefined) return undefined;
  try {
    const review = await deps.actions.request(path, note);
    await deps.reviews.reload();
    if (!scripted) {
      const openIt = 'Open Review';
      void vscode.window
        .showInformationMessage(`PromptOps: review requested for ${review.name} (${review.env}).`, openIt)
        .then((c) => {
          if (c === openIt) ReviewPanel.createOrShow(deps, review.id);
        });
    }
    return review;
  } catch (err) {
    return fail(err, scripted);
  }
}

export async function openReviewCommand(
  deps: ReviewCommandDeps,
  target?: ReviewTarget,
): Promise<ReviewPanel | undefined> {
  const id = await resolveReviewId(deps, target);
  if (!id) return undefined;
  const panel = ReviewPanel.createOrShow(deps, id);
  await panel.load();
  return panel;
}

export async function approveReviewCommand(
  deps: ReviewCommandDeps,
  target?: ReviewTarget,
  note?: string,
): Promise<ReviewDto | undefined> {
  try {
    const id = await resolveReviewId(deps, target);
    if (!id) return undefined;
    const headHash = shownHead(target);
    if (headHash === undefined) {
      if (note !== undefined) throw new Error('Approve needs the head you showed: { id, headHash }.');
      await verdictFromPanel(deps, id, 'Approve', (panel, head) =>
        panel.handleMessage({ type: 'approve', note: '', headHash: head }),
      );
      await deps.reviews.reload();
      return undefined;
    }
    const review = await deps.actions.approve(id, headHash, note ?? '');
    await deps.reviews.reload();
    return review;
  } catch (err) {
    return fail(err, note !== undefined);
  }
}

export async function requestChangesCommand(
  deps: ReviewCommandDeps,
  target?: ReviewTarget,
  note?: string,
): Promise<ReviewDto | undefined> {
  try {
    const id = await resolveReviewId(deps, target);
    if (!id) return undefined;
    const headHash = shownHead(target);
    if (headHash !== undefined && note !== undefined) {
      const review = await deps.actions.requestChanges(id, headHash, note);
      await deps.reviews.reload();
      return review;
    }
    if (note !== undefined) throw new Error('Request Changes needs the head you showed: { id, headHash }.');
    await verdictFromPanel(deps, id, 'Request changes', async (panel, head) => {
      const text = await vscode.window.showInputBox({
        title: 'PromptOps: Request Changes',
        prompt: 'What needs to change',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Say what needs to change'),
      });
      if (text) await panel.handleMessage({ type: 'requestChanges', note: text, headHash: head });
    });
    await deps.reviews.reload();
    return undefined;
  } catch (err) {
    return fail(err, note !== undefined);
  }
}

export async function publishReviewCommand(
  deps: ReviewCommandDeps,
  target?: ReviewTarget,
  options?: PublishRequest,
): Promise<EditorPublishOutcome | undefined> {
  const scripted = options?.scripted ?? false;
  try {
    const id = await resolveReviewId(deps, target);
    if (!id) return undefined;
    const outcome = await publishFromEditor(deps.model, deps.actions, id, { ...options, scripted });
    await deps.reviews.reload();
    return outcome;
  } catch (err) {
    return fail(err, scripted);
  }
}

/** Check Out a review: its head, from the server, into the working tree (`review checkout`). */
export async function checkoutReviewCommand(
  deps: ReviewCommandDeps,
  target?: ReviewTarget,
  options?: { scripted: boolean },
): Promise<CheckoutOutcome | undefined> {
  const scripted = options?.scripted ?? false;
  try {
    const id = await resolveReviewId(deps, target);
    if (!id) return undefined;
    const outcome = await deps.actions.checkout(id);
    if (!scripted) showCheckoutNotice(outcome);
    return outcome;
  } catch (err) {
    if (!scripted && isRefusal(err)) {
      void vscode.window.showWarningMessage(`PromptOps: ${(err as Error).message}`);
      return undefined;
    }
    return fail(err, scripted);
  }
}

/** Open in Diff Editor: the review's published and proposed versions, as the server holds them. */
export async function openReviewDiffCommand(deps: ReviewCommandDeps, target?: ReviewTarget): Promise<void> {
  try {
    const id = await resolveReviewId(deps, target);
    if (id) await deps.contents.openDiff(await deps.actions.get(id));
  } catch (err) {
    fail(err, false);
  }
}
