import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import type { PromptOpsModel } from '../model/promptOpsModel';

/** Me and my role in the current PromptOps workspace; click to switch workspace (or sign in). */
export class AccessStatusBarItem implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('promptops.access', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly model: PromptOpsModel) {
    this.item.name = 'PromptOps Access';
    this.subscriptions.push(
      model.onDidChange(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
    );
    this.render();
    this.item.show();
  }

  render(): void {
    const state = this.model.session.state;
    if (state.kind === 'signedOut') {
      this.item.text = '$(shield) PromptOps: Sign In';
      this.item.tooltip = 'Not signed in: prompts here are read-only until you sign in.';
      this.item.command = COMMANDS.signIn;
      return;
    }
    const workspace = this.model.currentWorkspace();
    const role = this.model.roleIn(workspace);
    const offline = state.kind === 'offline';
    this.item.text = `${offline ? '$(cloud-offline)' : '$(shield)'} ${state.user.username} · ${role?.role ?? state.user.role} in ${workspace}`;
    this.item.tooltip = `${offline ? `${state.error}\nShowing the last known identity, read-only.\n` : ''}PromptOps: ${state.user.username}, org role ${state.user.role}; ${role?.role} in ${workspace}${role?.source === 'member' ? ' (access file binding)' : ''}. Click to switch workspace.`;
    this.item.command = COMMANDS.switchWorkspace;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
