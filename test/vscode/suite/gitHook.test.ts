import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { HOOK_MARKER } from '../../../src/cli/preCommitHook';
import { extensionApi } from './helpers';

describe('pre-commit hook', () => {
  it('Install Git Hook writes the PromptOps hook (the same as `promptops hooks install`)', async () => {
    await extensionApi();
    const path = await vscode.commands.executeCommand<string>('promptops.installGitHook');
    assert.match(path, /\.git\/hooks\/pre-commit$/);
    assert.ok(readFileSync(path, 'utf8').includes(HOOK_MARKER));
  });
});
