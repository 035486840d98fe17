import * as vscode from 'vscode';

/** The setting `promptops.serverUrl` when set, else the access file's `server`, without a trailing slash. */
export function resolveServerUrl(accessFileServer: string | undefined): string | undefined {
  const configured = vscode.workspace.getConfiguration('promptops').get<string>('serverUrl', '').trim();
  const url = configured || accessFileServer?.trim();
  return url ? url.replace(/\/+$/, '') : undefined;
}
