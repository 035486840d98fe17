import * as vscode from 'vscode';

/** `enforce`: read-only editors; `warn`: editable, with a warning on changes I may not make. */
export type EnforcementMode = 'enforce' | 'warn';

export function enforcementMode(): EnforcementMode {
  return vscode.workspace.getConfiguration('promptops').get<string>('enforcement') === 'warn' ? 'warn' : 'enforce';
}
