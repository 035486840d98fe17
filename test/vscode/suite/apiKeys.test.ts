import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CreateApiKeyResponse } from '../../../src/shared/api/apiKeys';
import { apiKeyScopeChoices } from '../../../src/extension/commands/apiKeyScopeChoices';
import { TEST_USERS } from '../fixture/testUsers';
import { flatten, labelOf, serverUrl, signInAs, signOut } from './helpers';

const meWith = async (token: string): Promise<number> =>
  (await fetch(`${serverUrl()}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('API keys in the Access view', () => {
  after(signOut);

  it('alice (editor) creates a key: shown once, listed under API keys, working; revoked: gone and refused', async () => {
    const api = await signInAs(TEST_USERS.alice);
    const created = await vscode.commands.executeCommand<CreateApiKeyResponse>('promptops.createApiKey', {
      name: 'vscode-ci',
      actions: ['prompt.read'],
    });
    assert.match(created.token, /^pok_[0-9a-f]{16}_/);
    const row = () => flatten(api.views.access).find((r) => r.item.id === `access:apiKey:${created.key.id}`);
    assert.equal(labelOf(row()!.item), 'vscode-ci');
    assert.match(String(row()!.item.description), /^prompt\.read · until /);
    assert.match(row()!.item.tooltip as string, /Acts as alice, never beyond their current rights/);
    assert.equal(await meWith(created.token), 200);

    const revoked = await vscode.commands.executeCommand('promptops.revokeApiKey', row()!.node, { confirmed: true });
    assert.equal(revoked, true);
    assert.equal(row(), undefined);
    assert.equal(await meWith(created.token), 401);
  });

  it('victor (viewer) may not create keys: the server’s reason', async () => {
    await signInAs(TEST_USERS.victor);
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('promptops.createApiKey', { name: 'nope', actions: ['prompt.read'] }),
      ),
      /Managing API keys needs .*; you are `viewer`/,
    );
  });

  it('the dialog offers alice only what she may grant; a key scoped to support/dev for 30 days is created so', async () => {
    const api = await signInAs(TEST_USERS.alice);
    const offered = apiKeyScopeChoices(api.model);
    assert.ok(offered.workspaces.includes('support') && offered.workspaces.includes('default'));
    assert.deepEqual(offered.envs, api.model.index!.policy.environments);
    assert.ok(offered.actions.includes('prompt.edit') && offered.actions.includes('apikey.manage'));
    for (const adminOnly of ['user.manage', 'policy.apply', 'workspace.delete'])
      assert.ok(!offered.actions.includes(adminOnly as never), `${adminOnly} is not offered to an editor`);

    const created = await vscode.commands.executeCommand<CreateApiKeyResponse>('promptops.createApiKey', {
      name: 'support-dev-ci',
      actions: ['prompt.read', 'review.request'],
      workspaces: ['support'],
      envs: ['dev'],
      expires: '30d',
    });
    assert.deepEqual(created.key.scope, {
      actions: ['prompt.read', 'review.request'],
      workspaces: ['support'],
      envs: ['dev'],
    });
    const days = (Date.parse(created.key.expiresAt) - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days <= 30, `expires in 30 days, not ${days}`);
    const row = flatten(api.views.access).find((r) => r.item.id === `access:apiKey:${created.key.id}`)!;
    assert.match(row.item.tooltip as string, /Workspaces: support; envs: dev/);
    await vscode.commands.executeCommand('promptops.revokeApiKey', row.node, { confirmed: true });

    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('promptops.createApiKey', {
          name: 'bad',
          actions: ['prompt.read'],
          expires: 'soon',
        }),
      ),
      /Expiry "soon" is neither a number of days \(30d\) nor a date/,
    );
  });

  it('victor (viewer) is offered only reading and running', async () => {
    const api = await signInAs(TEST_USERS.victor);
    assert.deepEqual(apiKeyScopeChoices(api.model).actions, ['prompt.read', 'prompt.run']);
  });
});
