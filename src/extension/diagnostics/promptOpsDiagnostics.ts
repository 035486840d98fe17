import * as vscode from 'vscode';
import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import type { Diagnostic, Suggestion } from '../../core/diagnostics';
import type { PromptIndex } from '../../core/index/promptIndex';
import type { PromptOpsModel } from '../model/promptOpsModel';

const TYPING_SETTLE_MS = 300;
/** A YAML or front-matter token: what a squiggle without a known length covers. */
const TOKEN = /[^\s:,'"[\]{}#]+/;

interface Shown {
  diagnostic: vscode.Diagnostic;
  suggestion?: Suggestion;
}

/**
 * The same located problems as `promptops lint`, in the Problems panel and the editor:
 * saved files from the index, open documents from their unsaved text (debounced), both
 * through the core's parsers. A did-you-mean comes with a quick fix.
 */
export class PromptOpsDiagnostics implements vscode.Disposable, vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('promptops');
  private readonly shown = new Map<string, Shown[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly model: PromptOpsModel) {
    this.disposables.push(
      this.collection,
      model.onDidChange(() => this.publishAll()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document);
      }),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.closed(d)),
      vscode.languages.registerCodeActionsProvider({ scheme: model.root.scheme }, this, {
        providedCodeActionKinds: PromptOpsDiagnostics.providedCodeActionKinds,
      }),
    );
  }

  private governed(path: string | undefined): path is string {
    return path !== undefined && (path === ACCESS_FILE_PATH || this.model.index?.get(path) !== undefined);
  }

  /** Which index state and which saved lists are in the collection now (uri → the index's own array). */
  private publishedFrom: { index: PromptIndex; revision: number } | undefined;
  private readonly saved = new Map<string, readonly Diagnostic[]>();

  /**
   * Every file's saved problems, then each open document's from its own text. The model
   * changes for many reasons (a poll, a sign-in); only a new index state means new
   * problems, and then only the files whose lists changed are sent to the Problems panel.
   */
  private publishAll(): void {
    const index = this.model.index;
    if (!index) return;
    if (this.publishedFrom?.index === index && this.publishedFrom.revision === index.revision) return;
    this.publishedFrom = { index, revision: index.revision };
    const open = new Set(vscode.workspace.textDocuments.map((doc) => doc.uri.toString()));
    const next = new Map<string, readonly Diagnostic[]>();
    for (const [file, list] of index.filesWithProblems()) {
      const uri = this.model.uriOf(file);
      const key = uri.toString();
      next.set(key, list);
      if (!open.has(key) && this.saved.get(key) !== list) this.show(uri, index.diagnosticsOf(file), undefined);
    }
    for (const key of this.saved.keys()) {
      if (next.has(key) || open.has(key)) continue;
      this.collection.delete(vscode.Uri.parse(key));
      this.shown.delete(key);
    }
    this.saved.clear();
    for (const [key, list] of next) this.saved.set(key, list);
    for (const doc of vscode.workspace.textDocuments) this.check(doc);
  }

  /** A closed document shows its saved problems again (or none). */
  private closed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const path = this.model.relativePath(document.uri);
    if (this.saved.has(key) && path !== undefined && this.model.index)
      this.show(document.uri, this.model.index.diagnosticsOf(path), undefined);
    else if (this.shown.delete(key)) this.collection.delete(document.uri);
  }

  private schedule(document: vscode.TextDocument): void {
    if (!this.governed(this.model.relativePath(document.uri))) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!document.isClosed) this.check(document);
      }, TYPING_SETTLE_MS),
    );
  }

  private check(document: vscode.TextDocument): void {
    const path = this.model.relativePath(document.uri);
    const index = this.model.index;
    if (!index || !this.governed(path)) return;
    this.show(document.uri, index.diagnosticsForText(path, document.getText()), document);
  }

  private show(uri: vscode.Uri, list: readonly Diagnostic[], document: vscode.TextDocument | undefined): void {
    const shown = list.map((d) => toShown(d, document));
    this.shown.set(uri.toString(), shown);
    this.collection.set(
      uri,
      shown.map((s) => s.diagnostic),
    );
  }

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const shown = this.shown.get(document.uri.toString()) ?? [];
    const actions: vscode.CodeAction[] = [];
    for (const asked of context.diagnostics) {
      // The host hands back copies: match ours by range and message.
      const match = shown.find(
        (s) => s.suggestion && s.diagnostic.message === asked.message && s.diagnostic.range.isEqual(asked.range),
      );
      if (!match?.suggestion) continue;
      const action = new vscode.CodeAction(`Change to "${match.suggestion.with}"`, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [asked];
      action.isPreferred = true;
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, match.diagnostic.range, match.suggestion.with);
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

/** A core diagnostic as VS Code's; with the document, the range covers the offending token. */
function toShown(d: Diagnostic, document: vscode.TextDocument | undefined): Shown {
  const start = new vscode.Position(Math.max(0, d.line - 1), Math.max(0, d.column - 1));
  let range = new vscode.Range(start, start);
  let suggestion: Suggestion | undefined;
  if (document && start.line < document.lineCount) {
    const text = document.lineAt(start.line).text;
    // The position may be a quote before the value: look for the token from there.
    const at = d.suggestion ? text.indexOf(d.suggestion.replace, start.character) : -1;
    if (d.suggestion && at >= 0 && at <= start.character + 1) {
      range = new vscode.Range(start.line, at, start.line, at + d.suggestion.replace.length);
      suggestion = d.suggestion;
    } else {
      range = document.getWordRangeAtPosition(start, TOKEN) ?? range;
    }
  }
  // `field: message`, as `promptops lint` prints it, without the location the editor shows.
  const message = d.field ? `${d.field}: ${d.message}` : d.message;
  const diagnostic = new vscode.Diagnostic(
    range,
    message,
    d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = 'promptops';
  return { diagnostic, suggestion };
}
