import * as vscode from 'vscode';
import type { EditVerdict } from '../model/editVerdict';

const DECORATION_EVENT_SLICE = 500;

/** The lock badge on files I may not change, in the Explorer, on tabs and in the Prompts view, with the reason as tooltip. */
export class LockDecorationProvider implements vscode.FileDecorationProvider, vscode.Disposable {
  private locked = new Map<string, EditVerdict>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changed.event;

  /** Replace the locked set (keys: `uri.toString()`), refreshing only what changed. */
  update(locked: Map<string, EditVerdict>, uriOf: (key: string) => vscode.Uri): void {
    const touched: vscode.Uri[] = [];
    for (const [key, verdict] of locked) if (this.locked.get(key)?.reason !== verdict.reason) touched.push(uriOf(key));
    for (const key of this.locked.keys()) if (!locked.has(key)) touched.push(uriOf(key));
    this.locked = locked;
    // In slices: one event with 10,000 URIs is serialised to the workbench in one go.
    for (let i = 0; i < touched.length; i += DECORATION_EVENT_SLICE)
      this.changed.fire(touched.slice(i, i + DECORATION_EVENT_SLICE));
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const verdict = this.locked.get(uri.toString());
    if (!verdict) return undefined;
    const decoration = new vscode.FileDecoration(
      'RO',
      verdict.reason,
      new vscode.ThemeColor('list.deemphasizedForeground'),
    );
    decoration.propagate = false;
    return decoration;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
