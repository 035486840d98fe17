import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import type { Session } from '../session/session';

/**
 * Offline, visible at once: a warning status bar item and a message on top of every
 * PromptOps view while the server does not answer; both go away by themselves when the
 * live poll reaches it again.
 */
export class OfflineIndicator implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('promptops.offline', vscode.StatusBarAlignment.Left, 49);
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly session: Session,
    private readonly views: readonly vscode.TreeView<unknown>[],
  ) {
    this.item.name = 'PromptOps Server';
    this.item.text = '$(cloud-offline) PromptOps offline';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.command = COMMANDS.refresh;
    this.subscription = session.onDidChange(() => this.render());
    this.render();
  }

  render(): void {
    const state = this.session.state;
    if (state.kind !== 'offline') {
      this.item.hide();
      for (const v of this.views) v.message = undefined;
      return;
    }
    this.item.tooltip = `${state.error}\nShowing the last known state, read-only; nothing can be approved or published. PromptOps keeps trying and recovers by itself. Click to retry now.`;
    this.item.show();
    for (const v of this.views)
      v.message = `Server unreachable: showing the last known state, read-only. Reconnects by itself.`;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
