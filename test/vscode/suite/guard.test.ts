import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { TEST_USERS } from '../fixture/testUsers';
import {
  closeAllEditors,
  extensionApi,
  hasBrowser,
  isReadonlySetting,
  notification,
  notificationsAskedSoFar,
  promptRow,
  repoRoot,
  repoUri,
  signInAs,
  signOut,
  waitFor,
} from './helpers';

const GREETING = 'prompts/support/greeting.prompt';

/** The file's text, or undefined while it is being replaced. */
function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

describe('edits that slip past the read-only editor', () => {
  // Each test waits for its own warning: none left from earlier suites or the test before
  // (a warning still listed holds back the next for its file: one per burst of edits).
  const clearNotifications = () => vscode.commands.executeCommand('notifications.clearAll');
  before(clearNotifications);
  afterEach(async () => {
    await closeAllEditors();
    await clearNotifications();
  });
  after(signOut);

  // The warnings are notifications: read (and clicked) in the browser, as a person would.
  const needsBrowser = function (this: Mocha.Context) {
    if (!hasBrowser()) this.skip();
  };

  it('a WorkspaceEdit (another extension) on a protected document: warning, and its Revert button restores it', async function () {
    needsBrowser.call(this);
    await signInAs(TEST_USERS.bob);
    const document = await vscode.workspace.openTextDocument(repoUri(GREETING));
    const before = document.getText();
    await vscode.window.showTextDocument(document);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), 'SNEAKY ');
    assert.equal(await vscode.workspace.applyEdit(edit), true, 'VS Code lets API edits through (as documented)');
    assert.match(document.getText(), /^SNEAKY /, 'in memory only: a read-only document does not even turn dirty');
    const warning = await notification('greeting.prompt is read-only for you', 'Revert');
    assert.match(warning, /yet an edit reached it \(another extension or a command\)/);
    await waitFor('the document reverted', () => document.getText() === before);
    assert.equal(document.isDirty, false);
  });

  it('a change on disk to a read-only file: warning, and its Revert button puts HEAD’s bytes back', async function () {
    needsBrowser.call(this);
    const api = await signInAs(TEST_USERS.bob);
    const file = repoUri(GREETING).fsPath;
    const committed = readFileSync(file, 'utf8');
    let reported = false;
    const listening = api.model.fileWatcher().onDidChange((uri) => (reported ||= uri.fsPath === file));
    writeFileSync(file, `${committed}<user>\nchanged outside the editor\n</user>\n`);
    await waitFor('the watcher to report the change', () => reported);
    listening.dispose();
    // Settled means the guard has checked what was reported and asked for its warning, so the
    // warning is among what was asked so far (the other tests read absences this way).
    await api.settled();
    assert.ok(
      (await notificationsAskedSoFar()).some((m) => m.includes('greeting.prompt changed on disk')),
      'the warning was asked for by the time the extension settled',
    );
    const warning = await notification('greeting.prompt changed on disk', 'Revert');
    assert.match(warning, /but you may not change it/);
    // Revert runs when the button is pressed, after this test's click returns: wait for its write.
    await waitFor('HEAD’s bytes back on disk', () => readIfThere(file) === committed);
  });

  it('a staged change to a read-only file: Revert restores both the index and the working tree', async function () {
    needsBrowser.call(this);
    await signInAs(TEST_USERS.bob);
    const file = repoUri(GREETING).fsPath;
    const committed = readFileSync(file, 'utf8');
    writeFileSync(file, `${committed}<user>\nstaged behind the editor's back\n</user>\n`);
    execFileSync('git', ['add', '--', GREETING], { cwd: repoRoot() });
    await notification('greeting.prompt changed on disk');
    const status = () =>
      execFileSync('git', ['status', '--porcelain', '--', GREETING], { cwd: repoRoot(), encoding: 'utf8' }).trim();
    assert.match(status(), /^M /, 'staged');
    assert.equal(await vscode.commands.executeCommand('promptops.revertFile', { path: GREETING }), 'disk');
    assert.equal(readFileSync(file, 'utf8'), committed);
    assert.equal(status(), '', 'nothing left staged or modified (not MM)');
  });

  it('turning read-only off for a protected prompt is noticed: status bar and a warning that the commit will be refused', async function () {
    needsBrowser.call(this);
    const api = await signInAs(TEST_USERS.bob);
    const document = await vscode.workspace.openTextDocument(repoUri(GREETING));
    const before = document.getText();
    await vscode.window.showTextDocument(document, { preview: false });
    await waitFor('the Read-only status', () => api.lockStatusBar.text.includes('Read-only'));
    // What VS Code's read-only hover offers ("toggle for this session"), then typing.
    await vscode.commands.executeCommand('workbench.action.files.setActiveEditorWriteableInSession');
    await vscode.commands.executeCommand('type', { text: 'TYPED-AFTER-UNLOCK ' });
    const warning = await notification('You turned read-only off for greeting.prompt');
    assert.match(warning, /will refuse this change/);
    assert.ok(document.isDirty);
    await waitFor('the Writable status', () => /Writable: refused at commit/.test(api.lockStatusBar.text));
    // Unsaved, or saved meanwhile (auto save): either way Revert puts back the committed text.
    await notification('You turned read-only off for greeting.prompt', 'Revert');
    await waitFor('the committed text', () => document.getText() === before && !document.isDirty);
    await waitFor('the committed text on disk', () => readIfThere(repoUri(GREETING).fsPath) === before);
  });

  it('an editable prompt changed on disk shows as modified in the Prompts view, and not once reverted', async () => {
    const api = await signInAs(TEST_USERS.alice);
    const file = repoUri(GREETING).fsPath;
    const committed = readFileSync(file, 'utf8');
    writeFileSync(file, committed.replace('Greet', 'Warmly greet'));
    await waitFor('the modified badge', async () => {
      await api.settled();
      return /modified/.test(promptRow(api, 'greeting.prompt').description);
    });
    assert.match(promptRow(api, 'greeting.prompt').contextValue, /\bmodified\b/);
    execFileSync('git', ['checkout', '--', GREETING], { cwd: repoRoot() });
    await waitFor('the modified badge to go', async () => {
      await api.settled();
      return !/modified/.test(promptRow(api, 'greeting.prompt').description);
    });
  });

  it('`promptops.enforcement: warn` takes our entries out of the settings; `enforce` puts them back', async () => {
    const api = await signInAs(TEST_USERS.bob);
    const config = vscode.workspace.getConfiguration('promptops');
    try {
      await config.update('enforcement', 'warn', vscode.ConfigurationTarget.Global);
      await waitFor('entries removed', async () => {
        await api.settled();
        return !isReadonlySetting(GREETING);
      });
      assert.ok(api.enforcement.lockedVerdict(api.model.uriOf(GREETING)), 'still locked for the badge and the guard');
    } finally {
      await config.update('enforcement', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('entries back', async () => {
      await api.settled();
      return isReadonlySetting(GREETING);
    });
  });

  it('keeps the user’s own files.readonlyInclude entries: `warn` takes out only ours', async () => {
    const api = await signInAs(TEST_USERS.bob);
    const files = () => vscode.workspace.getConfiguration('files');
    const userSettings = () => files().inspect<Record<string, boolean>>('readonlyInclude')?.globalValue ?? {};
    const own = { '**/my-own/**': true };
    await files().update('readonlyInclude', { ...userSettings(), ...own }, vscode.ConfigurationTarget.Global);
    const config = vscode.workspace.getConfiguration('promptops');
    try {
      await api.model.reload();
      await api.settled();
      assert.equal(userSettings()['**/my-own/**'], true);
      assert.ok(isReadonlySetting(GREETING));
      await config.update('enforcement', 'warn', vscode.ConfigurationTarget.Global);
      await waitFor('our entries removed', async () => {
        await api.settled();
        return !isReadonlySetting(GREETING);
      });
      assert.deepEqual(userSettings(), own, 'only the user’s own entry is left');
      await config.update('enforcement', undefined, vscode.ConfigurationTarget.Global);
      await waitFor('our entries back', async () => {
        await api.settled();
        return isReadonlySetting(GREETING);
      });
      assert.equal(userSettings()['**/my-own/**'], true, 'the user’s own entry survives our rewrite');
    } finally {
      await config.update('enforcement', undefined, vscode.ConfigurationTarget.Global);
      const { ['**/my-own/**']: _mine, ...rest } = userSettings();
      await files().update('readonlyInclude', rest, vscode.ConfigurationTarget.Global);
    }
  });

  it('nothing is written into the repository (no .vscode/settings.json)', async () => {
    await extensionApi();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: repoRoot(),
      encoding: 'utf8',
    });
    assert.equal(status.trim(), '');
  });
});
