import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PromptOpsExtensionApi } from '../../../src/extension/extensionApi';
import type { TreeNode } from '../../../src/extension/views/treeNode';
import { BROWSER_REQUEST_PREFIX, type BrowserReply, type BrowserRequestBody } from '../browserRequests';
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

/** Ask the runner to act in the browser (type, screenshot, …), wait until it has, and return its answer. */
export async function browser(request: BrowserRequestBody, timeoutMs = 20_000): Promise<unknown> {
  if (!hasBrowser()) {
    if (request.kind === 'screenshot') return undefined;
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
  const reply = JSON.parse(readFileSync(done, 'utf8')) as BrowserReply;
  if (reply.error !== undefined) throw new Error(reply.error);
  return reply.answer;
}

/**
 * Reads the notification center, as a person opens it from the bell (the suite's workbench
 * shows no toasts: VS Code keeps them off under the smoke-test driver that runs it).
 */
async function inNotificationCenter(request: { waitFor?: string; click?: string }): Promise<string[]> {
  await vscode.commands.executeCommand('notifications.showList');
  try {
    return (await browser({ kind: 'notifications', ...request })) as string[];
  } finally {
    await vscode.commands.executeCommand('notifications.hideList');
  }
}

/**
 * The notification saying `contains`, once there (its message, without the `PromptOps: `
 * prefix); with `click`, that button of it pressed, as a person would.
 */
export async function notification(contains: string, click?: string): Promise<string> {
  const messages = await inNotificationCenter({ waitFor: contains, click });
  const message = messages.find((m) => m.includes(contains));
  assert.ok(message, `a notification saying "${contains}" among ${JSON.stringify(messages)}`);
  return message.replace(/^PromptOps: /, '');
}

/** With the browser: waits until each named view (its title) shows at least one row on screen. */
export async function browserWaitForRows(...views: string[]): Promise<void> {
  if (!hasBrowser()) return;
  await browser({
    kind: 'waitFor',
    selectors: views.map((title) => `.pane:has(> .pane-header[aria-label^="${title}"]) .monaco-list-row`),
  });
}

/** The messages of the notifications shown so far and not closed. */
export async function notificationsShown(): Promise<string[]> {
  return inNotificationCenter({});
}

let markerCount = 0;

/**
 * The notifications asked for so far and not closed, every one of them: a marker of our own
 * is asked for after them and waited for on screen, and VS Code takes the extension host's
 * notifications in the order they were asked for. So "nothing was said" is read once
 * `api.settled()` has resolved, without waiting a fixed time for something not to appear.
 */
export async function notificationsAskedSoFar(): Promise<string[]> {
  markerCount += 1;
  const marker = `test marker ${markerCount}: everything asked for before this is listed`;
  void vscode.window.showInformationMessage(marker);
  const messages = await inNotificationCenter({ waitFor: marker });
  return messages.filter((m) => !m.includes(marker));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
