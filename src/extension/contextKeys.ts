import * as vscode from 'vscode';
import type { OrgAction } from '../core/policy/actions';
import { decideOrgAction } from '../core/policy/orgDecision';
import type { EnforcementController } from './enforcement/enforcementController';
import type { PromptOpsModel } from './model/promptOpsModel';

/** The context keys package.json's when/enablement clauses read. Set only when a value changes. */
export class ContextKeys implements vscode.Disposable {
  private readonly values = new Map<string, boolean>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly model: PromptOpsModel,
    private readonly enforcement: EnforcementController,
  ) {
    const update = () => this.update();
    this.subscriptions.push(
      model.onDidChange(update),
      enforcement.onDidApply(update),
      vscode.window.onDidChangeActiveTextEditor(update),
    );
    // Once activate() has returned: a `setContext` command per key, which the first paint
    // does not need (an unset key reads as false meanwhile; bench:activation).
    const first = setImmediate(update);
    this.subscriptions.push({ dispose: () => clearImmediate(first) });
  }

  update(): void {
    const state = this.model.session.state;
    const active = vscode.window.activeTextEditor?.document.uri;
    const activePath = active && this.model.relativePath(active);
    this.set('promptops.signedIn', state.kind !== 'signedOut');
    this.set('promptops.offline', state.kind === 'offline');
    // What the server would allow, decided as it decides (core), never by the role's name.
    const may = (action: OrgAction) => state.kind !== 'signedOut' && decideOrgAction(state.user, action).allowed;
    this.set('promptops.mayManageUsers', may('user.manage'));
    this.set('promptops.mayApplyPolicy', may('policy.apply'));
    this.set('promptops.hasAccessFile', this.model.hasAccessFile);
    // The remote release branch (last fetched) is ahead of the checked-out one: Sync can bring it in.
    this.set('promptops.behindUpstream', this.model.repository().upstream !== undefined);
    this.set(
      'promptops.activeFileManaged',
      activePath !== undefined && this.model.editVerdict(activePath) !== undefined,
    );
    this.set(
      'promptops.activeFileLocked',
      active !== undefined && this.enforcement.lockedVerdict(active) !== undefined,
    );
  }

  private set(key: string, value: boolean): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
