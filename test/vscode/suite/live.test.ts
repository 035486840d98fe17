import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PromptOpsClient } from '../../../src/client/promptOpsClient';
import { POLL_FOCUSED_MS, POLL_UNFOCUSED_MS } from '../../../src/extension/live/liveUpdates';
import { TEST_USERS } from '../fixture/testUsers';
import { serverUrl, signInAs, signOut, waitFor } from './helpers';

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
});
