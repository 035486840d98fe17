import * as vscode from 'vscode';

/**
 * The file events under the repository, for the index and the edit guard (one watcher for both).
 * When the root is a workspace folder, a plain glob: it filters the events of the workspace's own
 * watcher, which VS Code runs anyway. A `RelativePattern` with `**` asks for a second recursive
 * watch of the same folder (same `files.watcherExclude`, so the same events) and cost activation
 * ~18 ms of the extension host's thread (the pattern's serialisation, the settings read, the
 * `$watch` call; bench:activation's profile). Events of other workspace folders also match the
 * glob: callers keep only paths under the root (`PromptOpsModel.relativePath`).
 */
export function watchRepository(root: vscode.Uri): vscode.FileSystemWatcher {
  const isWorkspaceFolder = (vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.toString() === root.toString());
  return vscode.workspace.createFileSystemWatcher(
    isWorkspaceFolder ? '**/*' : new vscode.RelativePattern(root, '**/*'),
  );
}
