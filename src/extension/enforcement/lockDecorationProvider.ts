import * as vscode from 'vscode';
import type { EditVerdict } from '../model/editVerdict';

/**
 * The most URIs one change event may carry: the extension host caps larger events at 250
 * (ExtHostDecorations._maxEventSize), sorting them and keeping one per folder, which costs
 * tens of ms for 10,000 URIs (bench:activation) and leaves the rest stale. Past it, "all of
 * my decorations changed" is both cheaper and exact: the workbench asks again for what it shows.
 */
const MAX_EVENT_URIS = 250;

/** The lock badge on files I may not change, in the Explorer, on tabs and in the Prompts view, with the reason as tooltip. */
export class LockDecorationProvider implements vscode.FileDecorationProvider, vscode.Disposable {
  private locked = new Map<string, EditVerdict>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changed.event;

  /** Replace the locked set (keys: `uri.toString()`), refreshing only what changed. */
  update(locked: Map<string, EditVerdict>, uriOf: (key: string) => vscode.Uri): void {
    const previous = this.locked;
    this.locked = locked;
    const touched: vscode.Uri[] = [];
    let tooMany = false;
    const touch = (key: string) => {
      if (touched.length < MAX_EVENT_URIS) touched.push(uriOf(key));
      else tooMany = true;
    };
    for (const [key, verdict] of locked) {
      if (previous.get(key)?.reason !== verdict.reason) touch(key);
      if (tooMany) break;
    }
    if (!tooMany)
      for (const key of previous.keys()) {
        if (!locked.has(key)) touch(key);
        if (tooMany) break;
      }
    if (tooMany) this.changed.fire(undefined);
    else if (touched.length > 0) this.changed.fire(touched);
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
