import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionApi } from './helpers';

describe('activation and manifest', () => {
  it('activates in a folder with .promptops/access.yaml and indexes its prompts', async () => {
    const api = await extensionApi();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.equal(api.model.hasAccessFile, true);
    const paths = [...(api.model.index?.all() ?? [])].map((p) => p.path).sort();
    assert.deepEqual(paths, [
      'prompts/marketing/tagline.prompty',
      'prompts/shared/tone.prompt.md',
      'prompts/support/greeting.prompt',
      'prompts/support/refund.prompt',
    ]);
    const refund = api.model.prompt('prompts/support/refund.prompt');
    assert.equal(refund?.workspace, 'support');
    assert.equal(refund?.env, 'prod');
  });

  it('registers every command package.json declares, and declares every command it registers', async () => {
    await extensionApi();
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> };
    };
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    // VS Code adds `<viewId>.focus` and friends for each view; those are the workbench's, not ours.
    const viewIds = Object.values(manifest.contributes.views)
      .flat()
      .map((v) => `${v.id}.`);
    const registered = (await vscode.commands.getCommands(true))
      .filter((c) => c.startsWith('promptops.') && !viewIds.some((v) => c.startsWith(v)))
      .sort();
    assert.deepEqual(registered, declared);
  });
});
