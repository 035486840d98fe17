import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PromptOpsClient } from '../../../src/client/promptOpsClient';
import type { PromptOpsModel } from '../../../src/extension/model/promptOpsModel';
import { WORKSPACE_SCOPE_KEY } from '../../../src/extension/model/workspaceScope';
import type { PromptOpsExtensionApi } from '../../../src/extension/extensionApi';
import type { PromptNode } from '../../../src/extension/views/prompts/promptNode';
import { extensionApi, flatten, serverUrl, signInAs, signOut } from './helpers';

const ADMIN = { username: 'admin', password: 'admin', role: 'admin' } as const;
const BOB = { username: 'bob', role: 'viewer' } as const;
const SUPPORT_PROMPT = 'prompts/support/greeting.prompt';

function promptPaths(api: PromptOpsExtensionApi): string[] {
  return flatten(api.views.prompts)
    .map((r) => (r.node as Partial<PromptNode>).prompt?.path)
    .filter((p): p is string => p !== undefined)
    .sort();
}

function reviewWorkspaces(api: PromptOpsExtensionApi): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of api.views.reviews.loaded) for (const n of g.reviews) out.set(n.review.id, n.review.workspace);
  return out;
}

describe('Switch Workspace scopes the Prompts and Reviews views', () => {
  const created: string[] = [];
  let client: PromptOpsClient;

  before(async () => {
    client = new PromptOpsClient({ server: serverUrl() });
    await client.login(ADMIN.username, ADMIN.password);
    for (const path of ['prompts/support/scoped.prompt', 'prompts/marketing/scoped.prompt'])
      created.push(
        (
          await client.createReview({
            path,
            content: `---\nenv: dev\n---\nScoped ${Date.now()}.\n`,
            note: 'scope test',
          })
        ).id,
      );
  });

  after(async () => {
    for (const id of created) await client.withdraw(id).catch(() => undefined);
    await vscode.commands.executeCommand('promptops.switchWorkspace', '*');
    await signOut();
  });

  it('picking support shows only support prompts and reviews; All workspaces shows everything again', async () => {
    const api = await signInAs(ADMIN);
    await api.views.reviews.reload();
    const [supportReview, defaultReview] = created;

    assert.equal(await vscode.commands.executeCommand('promptops.switchWorkspace', 'support'), 'support');
    await api.settled();
    assert.deepEqual(
      api.views.prompts.getChildren().map((n) => n.getTreeItem().label),
      ['support'],
      'only the support workspace row',
    );
    assert.deepEqual(promptPaths(api), ['prompts/support/greeting.prompt', 'prompts/support/refund.prompt']);
    const scoped = reviewWorkspaces(api);
    assert.equal(scoped.get(supportReview), 'support');
    assert.ok(!scoped.has(defaultReview), 'the review in default is not listed');
    assert.deepEqual(new Set(scoped.values()), new Set(['support']));
    assert.equal(api.model.currentWorkspace(), 'support', 'the status bar and Access view follow the pick');
    assert.match(api.model.describeIdentity() ?? '', /^admin, admin in support/);

    assert.equal(await vscode.commands.executeCommand('promptops.switchWorkspace', '*'), '*');
    await api.settled();
    assert.equal(api.model.scope(), undefined);
    assert.deepEqual(promptPaths(api), [
      'prompts/marketing/tagline.prompty',
      'prompts/shared/tone.prompt.md',
      'prompts/support/greeting.prompt',
      'prompts/support/refund.prompt',
    ]);
    const all = reviewWorkspaces(api);
    assert.equal(all.get(supportReview), 'support');
    assert.equal(all.get(defaultReview), 'default');
  });

  it('a workspace the access file does not declare is refused, and the scope stays', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('promptops.switchWorkspace', 'support');
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('promptops.switchWorkspace', 'nowhere')),
      /No workspace `nowhere` in \.promptops\/access\.yaml/,
    );
    assert.equal(api.model.scope(), 'support');
  });

  it('the pick survives a reload: it is stored in workspaceState, and a model built from that state starts there', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('promptops.switchWorkspace', 'support');
    const memory = api.model.scopeMemory;
    assert.ok(memory, 'the extension hands the model its workspaceState');
    assert.equal(memory.get(WORKSPACE_SCOPE_KEY), 'support');

    // What activation does after a reload: a new model from the same workspaceState.
    const log = vscode.window.createOutputChannel('PromptOps scope test', { log: true });
    // The extension's own class: this suite's bundle has no dist/lazy.js beside it to load the index from.
    const Model = api.model.constructor as typeof PromptOpsModel;
    const reloaded = new Model(api.model.root, api.model.session, log, memory);
    try {
      await reloaded.ready();
      assert.equal(reloaded.scope(), 'support');
      assert.equal(reloaded.currentWorkspace(), 'support');
    } finally {
      reloaded.dispose();
      log.dispose();
    }

    await vscode.commands.executeCommand('promptops.switchWorkspace', '*');
    assert.equal(memory.get(WORKSPACE_SCOPE_KEY), undefined, 'All workspaces is stored too');
  });

  it('the Access view warns when the access file declares a workspace deleted on the server (file, line, what to do)', async () => {
    const api = await signInAs(ADMIN);
    const supportRow = () => flatten(api.views.access).find((r) => r.item.id === 'access:workspace:support')?.item;
    const id = (await client.listWorkspaces()).find((w) => w.name === 'support')?.id;
    assert.ok(id, 'applying the access file created `support` on the server');
    await client.deleteWorkspace(id);
    try {
      await api.views.access.refreshDrift();
      const row = supportRow();
      assert.equal(row?.description, 'deleted on the server · .promptops/access.yaml:8');
      assert.match(
        row?.tooltip as string,
        /^\.promptops\/access\.yaml:8:3 workspaces\.support: warning: workspace `support` was deleted on the server: it grants nothing .*Remove it from the access file, or have an admin re-create it/,
      );
      // The editor decides as the server does: support's prompts fall to default, its bindings grant nothing.
      assert.equal(api.model.prompt(SUPPORT_PROMPT)?.workspace, 'default');
      assert.equal(api.model.index!.decide(BOB, 'review.approve', SUPPORT_PROMPT).allowed, false);
      assert.ok(!api.model.workspaceNames().includes('support'), 'not offered by Switch Workspace');
    } finally {
      await client.createWorkspace('support');
    }
    await api.views.access.refreshDrift();
    assert.match(String(supportRow()?.description), /^admin \(org role\)/, 'the warning goes once it is re-created');
    assert.equal(api.model.prompt(SUPPORT_PROMPT)?.workspace, 'support');
    assert.equal(
      api.model.index!.decide(BOB, 'review.approve', SUPPORT_PROMPT).allowed,
      true,
      'bob reviews there again',
    );
  });
});
