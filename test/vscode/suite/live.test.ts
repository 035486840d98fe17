import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PromptOpsClient } from '../../../src/client/promptOpsClient';
import { POLL_FOCUSED_MS, POLL_UNFOCUSED_MS } from '../../../src/extension/live/liveUpdates';
import type { InfoNode } from '../../../src/extension/views/access/infoNode';
import { TEST_USERS } from '../fixture/testUsers';
import { closeAllEditors, repoUri, serverUrl, signInAs, signOut, waitFor } from './helpers';

/** How long the live poll may take here: the headless window may not have focus. */
const pollWithin = () => (vscode.window.state.focused ? POLL_FOCUSED_MS : POLL_UNFOCUSED_MS) + 5_000;

describe('live state (no Refresh)', () => {
  after(async () => {
    await signOut();
  });

  it('a review another user creates on the server appears in the approver’s tree by itself', async function () {
    this.timeout(pollWithin() + 30_000);
    const api = await signInAs(TEST_USERS.bob);
    const alice = new PromptOpsClient({ server: serverUrl() });
    await alice.login(TEST_USERS.alice.username, TEST_USERS.alice.password);
    const created = await alice.createReview({
      path: 'prompts/support/welcome.prompt',
      content: `---\nmodel: gpt-4o-mini\nenv: dev\n---\n<system>\nWelcome ${Date.now()}.\n</system>\n`,
      note: 'A new welcome',
    });
    const started = Date.now();
    await waitFor(
      'the new review under "Needs my approval"',
      () => api.views.reviews.loaded.find((g) => g.key === 'needsMe')?.reviews.some((n) => n.review.id === created.id),
      pollWithin(),
    );
    console.log(`    (appeared after ${Date.now() - started} ms; window focused: ${vscode.window.state.focused})`);
    assert.ok((api.treeViews.reviews.badge?.value ?? 0) >= 1, 'the badge counts it');
    await alice.withdraw(created.id);
  });

  it('an open diff follows a new revision another user makes: the head side shows the new head by itself', async function () {
    this.timeout(2 * pollWithin() + 30_000);
    const api = await signInAs(TEST_USERS.bob);
    const alice = new PromptOpsClient({ server: serverUrl() });
    await alice.login(TEST_USERS.alice.username, TEST_USERS.alice.password);
    const text = (words: string) => `---\nmodel: gpt-4o-mini\nenv: dev\n---\n<system>\n${words}\n</system>\n`;
    const first = text(`Welcome back ${Date.now()}.`);
    const created = await alice.createReview({ path: 'prompts/support/welcome.prompt', content: first });
    // Bob sees it listed first, so the live refresh knows its head before it moves on.
    await waitFor(
      'the review in the tree',
      () => api.views.reviews.loaded.some((g) => g.reviews.some((n) => n.review.id === created.id)),
      pollWithin(),
    );
    await vscode.commands.executeCommand('promptops.openReviewDiff', { id: created.id });
    const tab = await waitFor('the diff editor', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    });
    const head = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === tab.modified.toString());
    assert.equal(head()?.getText(), first);

    const second = text(`Welcome back, warmly ${Date.now()}.`);
    await alice.reviseReview(created.id, { content: second, note: 'warmer' });
    await waitFor('the open diff to show revision 2', () => head()?.getText() === second, 2 * pollWithin());
    assert.equal(
      vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff,
      true,
      'the same diff editor is still open',
    );
    await closeAllEditors();
    await alice.withdraw(created.id);
  });
});

describe('identity and current workspace agree everywhere', () => {
  after(async () => {
    await closeAllEditors();
    await signOut();
  });

  it('names the role that applies in the current workspace, and the Access view follows the active prompt', async () => {
    const api = await signInAs(TEST_USERS.bob);
    const current = () =>
      api.views.access
        .rootNodes()
        .find((n) => n.options.id === 'access:workspaces')
        ?.getChildren()
        .map((c) => (c as InfoNode).options)
        .find((o) => String(o.description).includes('current'))?.label;
    await vscode.window.showTextDocument(repoUri('prompts/support/greeting.prompt'));
    await waitFor('the Access view to tick support', () => current() === 'support');
    assert.equal(api.model.describeIdentity(), 'bob, reviewer in support; viewer in default');
    await vscode.window.showTextDocument(repoUri('prompts/marketing/tagline.prompty'));
    await waitFor(
      'the Access view to tick the active prompt’s workspace',
      () => current() === api.model.currentWorkspace(),
    );
    assert.equal(api.model.currentWorkspace(), 'default', 'marketing is no workspace in this access file');
    assert.equal(api.model.describeIdentity(), 'bob, viewer in default; reviewer in support');
  });
});
