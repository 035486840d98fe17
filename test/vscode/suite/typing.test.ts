import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TEST_USERS } from '../fixture/testUsers';
import { browser, closeAllEditors, hasBrowser, repoUri, signInAs, signOut, waitFor } from './helpers';

/** The editor's "cannot edit" message by the cursor: the keys reached the editor and it refused them. */
const refusedInEditor = () => browser({ kind: 'waitFor', selectors: ['.monaco-editor-overlaymessage'] });

/** Keys typed for real in the browser (playwright keyboard), not edits through the API. */
describe('typing into editors (real keyboard)', () => {
  before(function () {
    if (!hasBrowser()) this.skip();
  });
  afterEach(closeAllEditors);
  after(signOut);

  it('a viewer’s prompt editor is read-only: typed keys do not change it', async () => {
    await signInAs(TEST_USERS.bob);
    const document = await vscode.workspace.openTextDocument(repoUri('prompts/support/greeting.prompt'));
    const before = document.getText();
    await vscode.window.showTextDocument(document, { preview: false });
    await browser({ kind: 'type', text: 'TYPED-BY-BOB' });
    await refusedInEditor();
    assert.equal(document.getText(), before);
    assert.equal(document.isDirty, false);
    await browser({ kind: 'screenshot', name: 'viewer-read-only-editor' });
  });

  it('the same keys do reach an editor the user may edit (control)', async () => {
    await signInAs(TEST_USERS.alice);
    const document = await vscode.workspace.openTextDocument(repoUri('prompts/support/greeting.prompt'));
    await vscode.window.showTextDocument(document, { preview: false });
    await browser({ kind: 'type', text: 'TYPED-BY-ALICE' });
    await waitFor('the typed keys in the document', () => /TYPED-BY-ALICE/.test(document.getText()));
    assert.equal(document.isDirty, true);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('after a role change is picked up, the open editor locks for the prod prompt', async () => {
    await signInAs(TEST_USERS.alice);
    const document = await vscode.workspace.openTextDocument(repoUri('prompts/support/refund.prompt'));
    const before = document.getText();
    await vscode.window.showTextDocument(document, { preview: false });
    await browser({ kind: 'type', text: 'TYPED-INTO-PROD' });
    await refusedInEditor();
    assert.equal(document.getText(), before, 'alice may not edit prod prompts in support');
    await browser({ kind: 'screenshot', name: 'editor-read-only-prod-prompt' });
  });
});
