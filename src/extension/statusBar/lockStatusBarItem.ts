import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import type { EditGuard } from '../enforcement/editGuard';
import type { EnforcementController } from '../enforcement/enforcementController';

/**
 * Shown while the active editor is a file I may not change: the reason on hover, Explain
 * Access on click. When the user has turned read-only off for it, says so in warning colours.
 */
export class LockStatusBarItem implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('promptops.lock', vscode.StatusBarAlignment.Left, 49);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly enforcement: EnforcementController,
    private readonly guard: EditGuard,
  ) {
    this.item.name = 'PromptOps Read-only';
    this.item.command = COMMANDS.explainAccess;
    this.subscriptions.push(
      enforcement.onDidApply(() => this.render()),
      guard.onDidChangeUnlocked(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
    );
    this.render();
  }

  render(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const verdict = uri && this.enforcement.lockedVerdict(uri);
    if (!verdict) {
      this.item.hide();
      return;
    }
    if (this.guard.isUnlocked(uri)) {
      this.item.text = '$(unlock) Writable: refused at commit';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.tooltip = `You turned read-only off for this file, but you may not change it: the pre-commit hook, CI and the server will refuse the change.\n${verdict.reason}\nClick to put it back as last committed.`;
      this.item.command = { command: COMMANDS.revertFile, title: 'Revert to Last Committed Version', arguments: [uri] };
    } else {
      this.item.command = COMMANDS.explainAccess;
      this.item.text = '$(lock) Read-only';
      this.item.backgroundColor = undefined;
      this.item.tooltip = `${verdict.reason}\nClick for everything you may and may not do with this file.`;
    }
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
