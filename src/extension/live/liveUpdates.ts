import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import { reviewNotices } from '../model/reviewNotifications';
import type { Session } from '../session/session';
import type { ReviewsTreeDataProvider } from '../views/reviews/reviewsTreeDataProvider';

/** Poll periods: a focused window follows the server closely; a background one costs little. */
export const POLL_FOCUSED_MS = 5_000;
export const POLL_UNFOCUSED_MS = 30_000;
/** A poll waits this long for `/api/me` before calling the server offline. */
const POLL_TIMEOUT_MS = 4_000;

/**
 * Keeps the session (`/api/me`) and the review lists current without a manual Refresh:
 * one poll at a time, faster while the window has focus. Offline and recovery follow from
 * the session's state; each event that needs me is notified once, with a way to open it.
 * Idle cost: one `/api/me` and four list requests per period; trees re-render only when an
 * answer changed (ReviewsTreeDataProvider compares them).
 */
export class LiveUpdates implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private readonly notified = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly session: Session,
    private readonly reviews: ReviewsTreeDataProvider,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeWindowState((s) => {
        if (s.focused) void this.pollNow();
        else this.schedule();
      }),
      reviews.onDidChangeLists(({ previous, next, me }) => {
        for (const notice of reviewNotices(previous, next, me)) {
          if (this.notified.has(notice.key)) continue;
          this.notified.add(notice.key);
          void this.notify(notice.message, notice.reviewId);
        }
      }),
      session.onDidChange((s) => {
        if (s.kind === 'signedOut') this.notified.clear();
      }),
    );
    this.schedule();
  }

  /** Poll now (unless a poll is running), then on the usual period. */
  pollNow(): Promise<void> {
    this.polling ??= this.poll().finally(() => {
      this.polling = undefined;
      this.schedule();
    });
    return this.polling;
  }

  private async poll(): Promise<void> {
    if (this.session.state.kind === 'signedOut') return;
    // /api/me first: it turns offline on and off, and a recovery reloads every view.
    const wasOffline = this.session.state.kind === 'offline';
    await this.session.refresh(POLL_TIMEOUT_MS).catch(() => undefined);
    if (this.session.state.kind !== 'signedIn') return;
    if (wasOffline) this.log.info('the PromptOps server answers again');
    else await this.reviews.reload();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.disposed) return;
    const period = vscode.window.state.focused ? POLL_FOCUSED_MS : POLL_UNFOCUSED_MS;
    this.timer = setTimeout(() => void this.pollNow(), period);
  }

  private async notify(message: string, reviewId: string): Promise<void> {
    const open = 'Open Review';
    if ((await vscode.window.showInformationMessage(`PromptOps: ${message}`, open)) === open)
      await vscode.commands.executeCommand(COMMANDS.openReview, { id: reviewId });
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
