import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PromptOpsExtensionApi } from '../../../src/extension/extensionApi';
import type { TreeNode } from '../../../src/extension/views/treeNode';
import { BROWSER_REQUEST_PREFIX, type BrowserRequestBody } from '../browserRequests';
import { TEST_ENV, type TestUser } from '../fixture/testUsers';
export { waitFor } from '../../support/waitFor';

export const EXTENSION_ID = 'promptops.promptops';

export function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is set by the runner`);
  return value;
}

export const repoRoot = (): string => env(TEST_ENV.repo);
export const serverUrl = (): string => env(TEST_ENV.serverUrl);
export const repoUri = (path: string): vscode.Uri => vscode.Uri.file(join(repoRoot(), ...path.split('/')));

export async function extensionApi(): Promise<PromptOpsExtensionApi> {
  const ext = vscode.extensions.getExtension<PromptOpsExtensionApi | undefined>(EXTENSION_ID);
  assert.ok(ext, 'the extension is installed');
  const api = await ext.activate();
  assert.ok(api, 'activate returned the API');
  await api.ready();
  return api;
}

export async function signInAs(user: TestUser): Promise<PromptOpsExtensionApi> {
  const api = await extensionApi();
  await vscode.commands.executeCommand('promptops.signIn', { username: user.username, password: user.password });
  await api.settled();
  assert.equal(api.model.session.user?.username, user.username);
  return api;
}

export async function signOut(): Promise<void> {
  const api = await extensionApi();
  await vscode.commands.executeCommand('promptops.signOut');
  await api.settled();
}

/** Our keys in the user's `files.readonlyInclude`. */
export function readonlyIncludeKeys(): string[] {
  const value =
    vscode.workspace.getConfiguration('files').inspect<Record<string, boolean>>('readonlyInclude')?.globalValue ?? {};
  return Object.keys(value).filter((k) => k.startsWith(repoRoot()));
}

export function isReadonlySetting(path: string): boolean {
  return readonlyIncludeKeys().includes(join(repoRoot(), ...path.split('/')));
}

/** Every node of a tree, depth first, with its rendered item. */
export function flatten(provider: vscode.TreeDataProvider<TreeNode>): { node: TreeNode; item: vscode.TreeItem }[] {
  const out: { node: TreeNode; item: vscode.TreeItem }[] = [];
  const visit = (nodes: TreeNode[]) => {
    for (const node of nodes) {
      out.push({ node, item: node.getTreeItem() });
      visit(node.getChildren());
    }
  };
  visit((provider.getChildren() as TreeNode[] | undefined) ?? []);
  return out;
}

export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** The Prompts view's row for a file name: its badges (description) and contextValue. */
export function promptRow(api: PromptOpsExtensionApi, fileName: string): { description: string; contextValue: string } {
  const row = flatten(api.views.prompts).find((r) => r.item.id?.startsWith('prompt:') && labelOf(r.item) === fileName);
  assert.ok(row, `the Prompts view shows ${fileName}`);
  return { description: String(row.item.description ?? ''), contextValue: row.item.contextValue ?? '' };
}

/** True under the code-server runner, which drives a real browser; false under test-electron. */
export function hasBrowser(): boolean {
  return Boolean(process.env[TEST_ENV.browserDir]);
}

let requestCounter = 0;

/** Ask the runner to act in the browser (type, screenshot) and wait until it has. */
export async function browser(request: BrowserRequestBody, timeoutMs = 20_000): Promise<void> {
  if (!hasBrowser()) {
    if (request.kind === 'screenshot') return;
    throw new Error(`${request.kind} needs the code-server runner's browser`);
  }
  requestCounter += 1;
  const id = `r${process.pid}-${requestCounter}`;
  const done = join(env(TEST_ENV.browserDir), `${id}.done`);
  console.log(`${BROWSER_REQUEST_PREFIX}${JSON.stringify({ ...request, id })}`);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`the runner did not carry out ${request.kind} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
