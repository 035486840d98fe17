import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { INITIAL_ADMIN } from '../fixture/testUsers';
import { closeAllEditors, extensionApi, repoUri, signInAs, signOut, waitFor } from './helpers';

const ACCESS = '.promptops/access.yaml';

describe('access-file and prompt diagnostics', () => {
  after(async () => {
    await closeAllEditors();
    await signOut();
  });

  it('an unknown role "draftr" shows in the Problems panel at its line, and the quick fix corrects it', async () => {
    // An admin may change the access file: no read-only editor, no guard warning.
    await signInAs(INITIAL_ADMIN);
    const uri = repoUri(ACCESS);
    const onDisk = readFileSync(uri.fsPath, 'utf8');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const membersLine = document
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('members: { alice: editor'));
    assert.ok(membersLine > 0);
    // Unsaved edits: a `drafter` role, and alice bound to the typo.
    const edit = new vscode.WorkspaceEdit();
    const rolesLine = document.getText().split('\n').indexOf('roles:');
    edit.insert(uri, new vscode.Position(rolesLine + 1, 0), '  drafter:   { extends: editor }\n');
    const col = document.lineAt(membersLine).text.indexOf('alice: editor') + 'alice: '.length;
    edit.replace(uri, new vscode.Range(membersLine, col, membersLine, col + 'editor'.length), 'draftr');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const line = membersLine + 1;

    const problem = await waitFor('the unknown-role diagnostic', () =>
      vscode.languages
        .getDiagnostics(uri)
        .find((d) => /unknown role "draftr" \(did you mean "drafter"\?\)/.test(d.message)),
    );
    assert.equal(problem.range.start.line, line, 'on the line of the typo');
    assert.equal(document.getText(problem.range), 'draftr', 'the squiggle covers the typo');
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(problem.source, 'promptops');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      problem.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title === 'Change to "drafter"');
    assert.ok(fix?.edit, 'a quick fix for the suggestion');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(document.lineAt(line).text, /alice: drafter,/);
    await waitFor(
      'the diagnostic to clear',
      () => !vscode.languages.getDiagnostics(uri).some((d) => /draftr/.test(d.message)),
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
    // Later suites expect the committed access file, whatever the workbench did with the edits.
    if (readFileSync(uri.fsPath, 'utf8') !== onDisk) {
      console.log('    (the workbench saved the edited access file; restoring it)');
      writeFileSync(uri.fsPath, onDisk);
      await (await extensionApi()).settled();
    }
  });

  it('a prompt naming an undeclared env shows its problem as you type', async () => {
    const uri = repoUri('prompts/support/greeting.prompt');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const envLine = document.getText().split('\n').indexOf('env: dev');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(envLine, 5, envLine, 8), 'staging');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const problem = await waitFor('the unknown-env diagnostic', () =>
      vscode.languages.getDiagnostics(uri).find((d) => /unknown environment "staging"/.test(d.message)),
    );
    assert.equal(problem.range.start.line, envLine);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the diagnostic to clear', () => vscode.languages.getDiagnostics(uri).length === 0);
  });
});

describe('the .prompt language', () => {
  after(closeAllEditors);

  it('.prompt files open as PromptOps Prompt; VS Code keeps its own language for .prompt.md', async () => {
    const prompt = await vscode.workspace.openTextDocument(repoUri('prompts/support/greeting.prompt'));
    assert.equal(prompt.languageId, 'promptops-prompt');
    const promptMd = await vscode.workspace.openTextDocument(repoUri('prompts/shared/tone.prompt.md'));
    assert.notEqual(promptMd.languageId, 'promptops-prompt');
  });
});
