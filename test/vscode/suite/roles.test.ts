import * as assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ApplyPolicyResponse } from '../../../src/shared/api/policy';
import type { AccessExplanation } from '../../../src/extension/commands/explainAccessCommand';
import { TEST_USERS } from '../fixture/testUsers';
import {
  browser,
  browserWaitForRows,
  closeAllEditors,
  repoUri,
  extensionApi,
  flatten,
  isReadonlySetting,
  labelOf,
  promptRow,
  signInAs,
  signOut,
} from './helpers';

const REFUND = 'prompts/support/refund.prompt';
const GREETING = 'prompts/support/greeting.prompt';
const TONE = 'prompts/shared/tone.prompt.md';
const TAGLINE = 'prompts/marketing/tagline.prompty';
const ACCESS = '.promptops/access.yaml';

describe('sign-in and what each role sees', () => {
  after(signOut);

  it('signed out: every prompt and the access file are read-only, and the Access view is empty (welcome: Sign In)', async () => {
    await signOut();
    const api = await extensionApi();
    for (const path of [REFUND, GREETING, TONE, TAGLINE, ACCESS])
      assert.ok(isReadonlySetting(path), `${path} is in files.readonlyInclude`);
    assert.match(promptRow(api, 'greeting.prompt').description, /read-only/);
    assert.deepEqual(api.views.access.rootNodes(), []);
    assert.match(api.enforcement.lockedVerdict(api.model.uriOf(GREETING))?.reason ?? '', /not signed in/);
  });

  it('wrong password: refused with the server’s answer, still signed out', async () => {
    await signOut();
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('promptops.signIn', { username: 'alice', password: 'wrong-password' }),
      ),
      /Invalid username or password/,
    );
    assert.equal((await extensionApi()).model.session.state.kind, 'signedOut');
  });

  it('alice (editor in support): dev prompts editable, prod and protected read-only, with the reason', async () => {
    const api = await signInAs(TEST_USERS.alice);
    assert.ok(!isReadonlySetting(GREETING));
    assert.ok(!isReadonlySetting(TAGLINE));
    assert.ok(isReadonlySetting(REFUND));
    assert.ok(isReadonlySetting(TONE));
    assert.ok(isReadonlySetting(ACCESS));
    const refund = promptRow(api, 'refund.prompt');
    assert.match(refund.description, /read-only/);
    assert.match(refund.contextValue, /\blocked\b/);
    assert.doesNotMatch(refund.contextValue, /\breviewable\b/);
    const greeting = promptRow(api, 'greeting.prompt');
    assert.doesNotMatch(greeting.description, /read-only/);
    assert.match(greeting.contextValue, /\beditable\b/);
    assert.match(greeting.contextValue, /\breviewable\b/);
    assert.equal(
      api.enforcement.lockedVerdict(api.model.uriOf(REFUND))?.reason,
      'Read-only: prod prompts in `support` need the `publisher` role; you are `editor` in `support`.',
    );

    const explanation = await vscode.commands.executeCommand<AccessExplanation>('promptops.explainAccess', {
      path: REFUND,
    });
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.match(explanation.title, /workspace support, env prod/);
    const edit = explanation.actions.find((a) => a.action === 'prompt.edit');
    assert.equal(edit?.allowed, false);
    assert.match(edit?.reason ?? '', /publisher/);
    assert.equal(explanation.actions.find((a) => a.action === 'prompt.read')?.allowed, true);

    await vscode.commands.executeCommand('workbench.view.extension.promptops');
    // The picture once the views show their rows (Reviews may have none for alice).
    await browserWaitForRows('Prompts', 'Access');
    await browser({ kind: 'screenshot', name: 'sidebar-alice' });
    await vscode.commands.executeCommand('workbench.view.explorer');

    const access = api.views.access.rootNodes().map((n) => n.getTreeItem());
    assert.equal(labelOf(access[0]), 'alice');
    const support = flatten(api.views.access).find((r) => r.item.id === 'access:workspace:support');
    assert.match(String(support?.item.description), /^editor \(member\)/);
    const drift = await api.views.access.refreshDrift();
    assert.equal(drift.kind, 'in-sync', 'the runner applied this very access file');

    // New Prompt: allowed where alice may create (dev in support), refused in a protected folder.
    const created = await vscode.commands.executeCommand<vscode.Uri | undefined>('promptops.newPrompt', {
      path: 'prompts/support/welcome.prompt',
    });
    assert.ok(created && existsSync(created.fsPath));
    rmSync(created.fsPath);
    await closeAllEditors();
    assert.equal(
      await vscode.commands.executeCommand('promptops.newPrompt', { path: 'prompts/shared/mine.prompt' }),
      undefined,
    );
    assert.ok(!existsSync(repoUri('prompts/shared/mine.prompt').fsPath));
  });

  it('bob (viewer, reviewer in support): everything read-only; no edit menus', async () => {
    const api = await signInAs(TEST_USERS.bob);
    for (const path of [REFUND, GREETING, TONE, TAGLINE, ACCESS])
      assert.ok(isReadonlySetting(path), `${path} is read-only for bob`);
    const greeting = promptRow(api, 'greeting.prompt');
    assert.match(greeting.contextValue, /\blocked\b/);
    assert.doesNotMatch(greeting.contextValue, /\breviewable\b/);
    const support = flatten(api.views.access).find((r) => r.item.id === 'access:workspace:support');
    assert.match(String(support?.item.description), /^reviewer \(member\)/);
    assert.equal(api.model.roleIn('default')?.role, 'viewer');
  });

  it('carol (publisher in support): prod prompts editable and publishable; protected paths still not', async () => {
    const api = await signInAs(TEST_USERS.carol);
    assert.ok(!isReadonlySetting(REFUND));
    assert.ok(isReadonlySetting(TONE));
    const refund = promptRow(api, 'refund.prompt');
    assert.match(refund.contextValue, /\beditable\b/);
    assert.match(refund.contextValue, /\bpublishable\b/);
  });

  it('admin: nothing read-only, the access file included; the Users view manages users with confirmation', async () => {
    const api = await signInAs({ username: 'admin', password: 'admin', role: 'admin' });
    for (const path of [REFUND, GREETING, TONE, TAGLINE, ACCESS])
      assert.ok(!isReadonlySetting(path), `${path} is writable for admin`);
    await api.views.users.reload();
    const names = api.views.users.loaded.map((u) => u.username).sort();
    assert.deepEqual(names, ['admin', 'alice', 'bob', 'carol', 'victor']);
    const me = flatten(api.views.users).find((r) => labelOf(r.item) === 'admin');
    assert.doesNotMatch(me?.item.contextValue ?? '', /removable/, 'admins cannot remove themselves from the view');

    await vscode.commands.executeCommand('promptops.addUser', {
      username: 'zoe',
      password: 'zoe-password-1',
      role: 'viewer',
    });
    assert.ok(api.views.users.loaded.some((u) => u.username === 'zoe' && u.role === 'viewer'));
    await vscode.commands.executeCommand('promptops.changeUserRole', { username: 'zoe' }, 'editor');
    assert.equal(api.views.users.loaded.find((u) => u.username === 'zoe')?.role, 'editor');
    await vscode.commands.executeCommand('promptops.removeUser', { username: 'zoe' }, { confirmed: true });
    assert.ok(!api.views.users.loaded.some((u) => u.username === 'zoe'));

    const applied = await vscode.commands.executeCommand<ApplyPolicyResponse>('promptops.applyAccessFile', {
      scripted: true,
    });
    assert.equal(applied.changed, false, 'the server already enforces this file');
    assert.equal(applied.policy.version, 1);
    assert.match(applied.policy.commit ?? '', /^[0-9a-f]{40}$/, 'the commit it was applied from is recorded');
    // The server's signed record of that version is written for the admin to commit.
    const lock = repoUri('.promptops/policy.lock');
    assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(lock)), /^serial: 1$/m);
    await vscode.workspace.fs.delete(lock);

    // The audit log, read-only, with the refused sign-in of the test before and zoe's removal.
    const log = await vscode.commands.executeCommand<vscode.TextDocument>('promptops.showAuditLog');
    assert.equal(log.uri.scheme, 'promptops-audit');
    assert.match(log.getText(), /user\.delete +user /);
    assert.match(log.getText(), /session\.login_failed .*REFUSED: Wrong username or password\./);
  });

  it('a non-admin sees no users (the Users view is hidden by promptops.mayManageUsers)', async () => {
    const api = await signInAs(TEST_USERS.alice);
    await api.views.users.reload();
    assert.equal(api.views.users.loaded.length, 0);
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('promptops.addUser', {
          username: 'mallory',
          password: 'mallory-pass-1',
          role: 'admin',
        }),
      ),
      /admin|forbidden|Forbidden|role/i,
    );
  });
});
