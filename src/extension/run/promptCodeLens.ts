import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { runRefusal } from './runRefusal';

/** The four prompt formats, by file name (a `.prompt.yml` is YAML to VS Code, a `.prompt.md` Markdown). */
export const PROMPT_FILES: vscode.DocumentFilter = {
  pattern: '**/*.{prompt,prompty,prompt.yml,prompt.yaml,prompt.md}',
};

const SETTING = 'codeLens.enabled';

/** "Run Prompt" and "Evaluate" above the first line, only where I may run it (`promptops.codeLens.enabled`). */
export class PromptCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly model: PromptOpsModel) {
    this.subscriptions = [
      this.changed,
      model.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`promptops.${SETTING}`)) this.changed.fire();
      }),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('promptops').get<boolean>(SETTING, true)) return [];
    if (runRefusal(this.model, this.model.relativePath(document.uri)) !== undefined) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(play) Run Prompt', command: COMMANDS.runPrompt, arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: 'Evaluate', command: COMMANDS.evaluatePrompt, arguments: [document.uri] }),
    ];
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

export function registerPromptCodeLens(model: PromptOpsModel): vscode.Disposable[] {
  const provider = new PromptCodeLensProvider(model);
  return [provider, vscode.languages.registerCodeLensProvider(PROMPT_FILES, provider)];
}
