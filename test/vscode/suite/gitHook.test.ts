import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { HOOK_MARKER } from '../../../src/git/hooks/preCommitHook';
import { EXTENSION_ID, extensionApi, hasBrowser, notificationsShown, signOut, waitFor } from './helpers';

describe('pre-commit hook', () => {
  it('Install Git Hook writes the PromptOps hook (the same as `promptops hooks install`)', async () => {
    await extensionApi();
    const path = await vscode.commands.executeCommand<string>('promptops.installGitHook');
    assert.match(path, /\.git\/hooks\/pre-commit$/);
    const hook = readFileSync(path, 'utf8');
    assert.ok(hook.includes(HOOK_MARKER));
    // The CLI this extension ships, run by the extension host's own executable: no npx, no PATH needed.
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    assert.ok(hook.includes(`PROMPTOPS_CLI='${join(extensionPath, 'dist', 'cli.js')}'`), hook);
    assert.ok(hook.includes(`PROMPTOPS_NODE='${process.execPath}'`), hook);
    assert.doesNotMatch(hook, /npx/);
  });

  it('with no signing key to offer (signed out), says it was installed in a notification of its own', async function () {
    // Read in the browser's notification list, as a person would (with a key to offer, the
    // news opens the offer instead: the browser end-to-end story clicks that one).
    if (!hasBrowser()) this.skip();
    await signOut();
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand<string>('promptops.installGitHook');
    const news = await waitFor('the news in the notification list', async () =>
      (await notificationsShown()).find((m) => m.includes('pre-commit hook')),
    );
    assert.match(
      news,
      /^PromptOps: pre-commit hook updated\. Commits that change prompts you may not change are refused\.$/,
    );
  });
});
