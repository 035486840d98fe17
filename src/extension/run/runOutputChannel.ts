import * as vscode from 'vscode';

let channel: vscode.OutputChannel | undefined;

/** "PromptOps Run": where Run Prompt streams answers and Evaluate Prompt writes its table; made on first use. */
export function runOutputChannel(lazy: vscode.Disposable[]): vscode.OutputChannel {
  if (!channel) {
    channel = vscode.window.createOutputChannel('PromptOps Run');
    lazy.push(channel, new vscode.Disposable(() => (channel = undefined)));
  }
  return channel;
}
