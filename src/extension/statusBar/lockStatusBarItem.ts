import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import type { EnforcementController } from '../enforcement/enforcementController';

/** Shown while the active editor is a file I may not change: the reason on hover, Explain Access on click. */
export class LockStatusBarItem implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('promptops.lock', vscode.StatusBarAlignment.Left, 49);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly enforcement: EnforcementController) {
    this.item.name = 'PromptOps Read-only';
    this.item.command = COMMANDS.explainAccess;
    this.subscriptions.push(
      enforcement.onDidApply(() => this.render()),
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
    this.item.text = '$(lock) Read-only';
    this.item.tooltip = `${verdict.reason}\nClick for everything you may and may not do with this file.`;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
