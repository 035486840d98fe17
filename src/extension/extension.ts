import * as vscode from 'vscode';

/**
 * The extension's entry. So far PromptOps contributes the access file's JSON Schema
 * (package.json `yamlValidation`); views, commands and enforcement come with the
 * extension issue. Activation is lazy: only in folders with `.promptops/access.yaml`.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('PromptOps', { log: true });
  context.subscriptions.push(log);
  log.info(`PromptOps ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {}
