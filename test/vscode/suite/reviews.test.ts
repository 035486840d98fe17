import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { PublishOutcome } from '../../../src/workflows/publishReview';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { TEST_USERS } from '../fixture/testUsers';
import {
  browser,
  closeAllEditors,
  hasBrowser,
  extensionApi,
  notificationsAskedSoFar,
  promptRow,
  repoRoot,
  repoUri,
  serverUrl,
  signInAs,
  signOut,
  waitFor,
} from './helpers';
import { reviewPanelView } from './reviewPanelView';

const GREETING = 'prompts/support/greeting.prompt';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot(), encoding: 'utf8' });

describe('review and publish (editor requests, reviewer approves, publisher publishes)', () => {
  let reviewId = '';
  const file = () => repoUri(GREETING).fsPath;
  after(async () => {
    await closeAllEditors();
    await signOut();
  });

  it('alice (editor) changes a dev prompt and requests review', async () => {
    const api = await signInAs(TEST_USERS.alice);
    writeFileSync(file(), readFileSync(file(), 'utf8').replace('Greet the customer', 'Warmly greet the customer'));
    await api.settled();
    const review = await vscode.commands.executeCommand<ReviewDto>('promptops.requestReview', {
      path: GREETING,
      note: 'A warmer greeting',
    });
    reviewId = review.id;
    assert.equal(review.status, 'open');
    assert.equal(review.author, 'alice');
    assert.equal(review.workspace, 'support');
    assert.equal(review.env, 'dev');
    assert.equal(review.headHash, sha256(readFileSync(file(), 'utf8')));
    assert.equal(review.permissions.approve.allowed, false, 'no self-approval');
    const mine = api.views.reviews.loaded.find((g) => g.key === 'mine');
    assert.deepEqual(
      mine?.reviews.map((n) => n.review.id),
      [reviewId],
    );
    await waitFor('the in-review badge', () => /in review/.test(promptRow(api, 'greeting.prompt').description));
    assert.match(promptRow(api, 'greeting.prompt').contextValue, /\binReview\b/);
  });

  it('bob (reviewer) sees it under "Needs my approval", opens the panel and approves by clicking Approve', async () => {
    const api = await signInAs(TEST_USERS.bob);
    await api.views.reviews.reload();
    const needsMe = api.views.reviews.loaded.find((g) => g.key === 'needsMe');
    assert.deepEqual(
      needsMe?.reviews.map((n) => n.review.id),
      [reviewId],
    );
    assert.equal(api.treeViews.reviews.badge?.value, 1, 'the view counts the reviews waiting on me');

    await vscode.commands.executeCommand('promptops.openReview', { id: reviewId });
    const panel = api.reviewPanel(reviewId);
    assert.ok(panel, 'one panel for the review');
    const view = await reviewPanelView(panel);
    const model = view.model!;
    // Nothing is published yet, so the default is bob's own git's base commit: only alice's words are marked.
    assert.equal(model.defaultComparison, 'baseCommit');
    const [againstBase, againstPublished] = model.comparisons;
    assert.match(againstBase.title, /^Changes against your git's base commit [0-9a-f]{7}$/);
    assert.deepEqual(
      againstBase.fields.filter((f) => f.status !== 'same'),
      [],
    );
    const marked = againstBase.messages.flatMap((m) =>
      m.runs.filter((r) => r.kind !== 'same').map((r) => [r.kind, r.text]),
    );
    assert.deepEqual(marked, [
      ['removed', 'Greet'],
      ['added', 'Warmly'],
      ['added', 'greet '],
    ]);
    assert.equal(againstPublished.title, 'Changes against the published version (dev)');
    const system = againstPublished.messages.find((m) => m.role === 'system');
    assert.equal(system?.status, 'added', 'nothing published yet: against that, the whole prompt is new');
    assert.equal(model.actions.approve.allowed, true);
    assert.equal(model.actions.publish.allowed, false, 'a reviewer may not publish');
    assert.match(model.actions.publish.reason, /./);
    assert.equal(model.approval.required, 1);
    assert.deepEqual(model.approval.from, ['reviewer', 'publisher']);

    // Opening it again reveals the same panel.
    await vscode.commands.executeCommand('promptops.openReview', { id: reviewId });
    assert.equal(api.reviewPanel(reviewId), panel);

    await browser({ kind: 'screenshot', name: 'review-panel-before-approval' });
    if (hasBrowser()) await browser({ kind: 'clickInWebview', selector: 'button[data-action="approve"]' });
    else await panel.handleMessage({ type: 'approve', note: '', headHash: model.headHash });
    await waitFor('the approval to land', () => view.model?.approval.met);
    assert.deepEqual(view.model?.approval.counted, ['bob']);
    await api.views.reviews.reload();
    assert.match(promptRow(api, 'greeting.prompt').description, /\bapproved\b/);
    // Approved: no longer waiting on bob, but still in his tree, under its new state.
    const group = (key: string) => api.views.reviews.loaded.find((g) => g.key === key)?.reviews.map((n) => n.review.id);
    assert.deepEqual(group('needsMe'), []);
    assert.deepEqual(group('readyToPublish'), [reviewId]);
    const row = api.views.reviews.loaded.find((g) => g.key === 'readyToPublish')!.reviews[0].getTreeItem();
    assert.match(String(row.description), /approved, ready to publish/);
    assert.equal((row.iconPath as vscode.ThemeIcon).id, 'pass-filled');
    assert.equal(api.treeViews.reviews.badge, undefined, 'nothing waits on bob any more');
    const shown = (api.views.reviews.getChildren() as unknown as { key: string }[]).map((g) => g.key);
    assert.ok(shown.includes('readyToPublish') && !shown.includes('needsMe'), 'only groups with reviews in them');
    await browser({ kind: 'screenshot', name: 'review-panel-approved' });
  });

  it('the review panel comes back after a window reload, from the state the webview saved', async () => {
    const api = await signInAs(TEST_USERS.bob);
    api.reviewPanel(reviewId)?.dispose();
    assert.equal(api.reviewPanel(reviewId), undefined);
    // A reload hands VS Code's serializer a bare panel and the webview's saved state.
    const bare = vscode.window.createWebviewPanel('promptops.review', 'Review', vscode.ViewColumn.Active, {});
    await api.restoreReviewPanel(bare, { reviewId });
    const restored = api.reviewPanel(reviewId);
    assert.ok(restored, 'the panel is registered for its review again');
    const shown = await reviewPanelView(restored);
    await waitFor('the restored panel to render the review', () => shown.model?.approval.met);
    assert.deepEqual(shown.model?.approval.counted, ['bob']);
    assert.equal(shown.model?.actions.approve.allowed, false, 'already approved at this head');

    // State from something else (or a corrupted one) is not trusted: the panel just closes.
    let disposed = false;
    const stray = vscode.window.createWebviewPanel('promptops.review', 'Review', vscode.ViewColumn.Active, {});
    stray.onDidDispose(() => (disposed = true));
    await api.restoreReviewPanel(stray, { reviewId: 42 });
    assert.equal(disposed, true);
  });

  it('carol (publisher) publishes: the server signs, the lock is written and committed with the prompt', async () => {
    const api = await signInAs(TEST_USERS.carol);
    const before = git('rev-parse', 'HEAD').trim();
    await vscode.commands.executeCommand('notifications.clearAll'); // only what the publish brings counts
    // The files the watcher reports (as the edit guard hears them: it listens first).
    const reported = new Set<string>();
    const watcher = api.model.fileWatcher();
    const onReported = (uri: vscode.Uri) => reported.add(api.model.relativePath(uri) ?? uri.fsPath);
    const listening = [watcher.onDidChange(onReported), watcher.onDidCreate(onReported)];
    const outcome = await vscode.commands.executeCommand<PublishOutcome>(
      'promptops.publishReview',
      { id: reviewId },
      { scripted: true },
    );
    assert.equal(git('rev-parse', 'HEAD').trim(), outcome.commit);
    assert.equal(git('rev-parse', 'HEAD~1').trim(), before);
    const committed = git('show', '--name-only', '--format=%s', 'HEAD').trim().split('\n');
    assert.equal(committed[0], `Publish ${GREETING} to dev (review #${reviewId})`);
    assert.deepEqual(committed.slice(1).filter(Boolean).sort(), ['.promptops/published.yaml', GREETING]);
    const lock = readFileSync(repoUri('.promptops/published.yaml').fsPath, 'utf8');
    assert.ok(lock.includes(sha256(readFileSync(file(), 'utf8'))), 'the lock holds the published hash');
    assert.ok(lock.includes(`reviewId: ${reviewId}`) || lock.includes(reviewId));
    assert.equal(outcome.release.publisher, 'carol');
    assert.deepEqual(outcome.release.approvers, ['bob']);
    await api.settled();
    assert.match(promptRow(api, 'greeting.prompt').description, /published/);
    await api.views.reviews.reload();
    assert.doesNotMatch(
      promptRow(api, 'greeting.prompt').description,
      /in review|approved/,
      'a published review is no longer open',
    );
    assert.equal(git('status', '--porcelain').trim(), '');
    // The lock is the last file publish writes, so once it is reported the prompt's write
    // (when there was one) is too; then the guard's checks of them are awaited (settled).
    await waitFor('the watcher to report the lock publish wrote', () => reported.has('.promptops/published.yaml'));
    for (const l of listening) l.dispose();
    await api.settled();
    if (hasBrowser()) {
      assert.deepEqual(
        (await notificationsAskedSoFar()).filter((m) => /changed on disk/.test(m)),
        [],
        'no "changed on disk" warning about our own publish',
      );
    }
  });

  it('publishing is refused when the file no longer matches the approved content', async () => {
    let api = await signInAs(TEST_USERS.alice);
    writeFileSync(file(), readFileSync(file(), 'utf8').replace('Warmly greet', 'Kindly greet'));
    // The file watcher reports the change within a few hundred ms.
    await waitFor('the published-but-changed badge', async () => {
      await api.settled();
      return /modified · published, changed since/.test(promptRow(api, 'greeting.prompt').description);
    });
    const review = await vscode.commands.executeCommand<ReviewDto>('promptops.requestReview', {
      path: GREETING,
      note: 'Kinder',
    });
    assert.ok(review.baseHash, 'the published version is the base');
    assert.ok(review.baseContent?.includes('Warmly greet'));
    api = await signInAs(TEST_USERS.bob);
    await vscode.commands.executeCommand(
      'promptops.approveReview',
      { id: review.id, headHash: review.headHash },
      'fine',
    );
    await vscode.commands.executeCommand('promptops.openReview', { id: review.id });
    const changed = (await reviewPanelView(api.reviewPanel(review.id)!)).model?.comparisons
      .find((c) => c.kind === 'published')
      ?.messages.find((m) => m.status === 'changed');
    assert.deepEqual(
      changed?.runs.filter((r) => r.kind !== 'same').map((r) => [r.kind, r.text]),
      [
        ['removed', 'Warmly'],
        ['added', 'Kindly'],
      ],
    );
    // Someone edits the file after the approval.
    writeFileSync(file(), readFileSync(file(), 'utf8').replace('Kindly greet', 'Kindly and quickly greet'));
    await signInAs(TEST_USERS.carol);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('promptops.publishReview', { id: review.id }, { scripted: true })),
      /no longer matches the approved content/,
    );
    assert.equal((await (await extensionApi()).reviewActions.get(review.id)).status, 'open', 'nothing was published');
    git('checkout', '--', GREETING);
  });

  it('a revision arrives while bob reads: Approve in the panel is refused, and the panel shows the new revision and says so', async () => {
    await signInAs(TEST_USERS.alice);
    writeFileSync(file(), readFileSync(file(), 'utf8').replace(/greet the customer/i, 'greet every customer'));
    const review = await vscode.commands.executeCommand<ReviewDto>('promptops.requestReview', {
      path: GREETING,
      note: 'Every customer',
    });
    const api = await signInAs(TEST_USERS.bob);
    await vscode.commands.executeCommand('promptops.openReview', { id: review.id });
    const panel = api.reviewPanel(review.id)!;
    const shown = await reviewPanelView(panel);
    const seen = shown.model!;
    assert.equal(seen.headHash, review.headHash);

    // Alice, from her own machine, adds a revision while bob reads: nothing tells the panel.
    const login = await fetch(`${serverUrl()}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: TEST_USERS.alice.username, password: TEST_USERS.alice.password }),
    });
    const { token } = (await login.json()) as { token: string };
    const revised = await fetch(`${serverUrl()}/api/reviews/${review.id}/revisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        content: readFileSync(file(), 'utf8').replace('greet every customer', 'greet every single customer'),
        note: 'even more',
      }),
    });
    assert.equal(revised.status, 200, await revised.clone().text());
    const next = (await revised.json()) as ReviewDto;
    assert.equal(shown.model?.revision, seen.revision, 'the panel still shows what bob is reading');

    if (hasBrowser()) await browser({ kind: 'clickInWebview', selector: 'button[data-action="approve"]' });
    else await panel.handleMessage({ type: 'approve', note: '', headHash: seen.headHash });
    await waitFor('the panel to reload with the new revision', () => shown.model?.revision === next.revision);
    assert.equal(shown.model?.headHash, next.headHash);
    assert.match(
      shown.notice ?? '',
      new RegExp(`Revision ${next.revision} arrived \\(by alice\\) while you were reading`),
    );
    assert.deepEqual(shown.model?.approval.counted, [], 'nothing was approved unseen');
    // Revision 2 opens on what changed since revision 1, and shows both notes.
    const model = shown.model;
    assert.equal(model.defaultComparison, 'previousRevision');
    assert.equal(model.comparisons[0].title, `Changes since revision ${next.revision - 1}`);
    assert.deepEqual(
      model.comparisons[0].messages.flatMap((m) =>
        m.runs.filter((r) => r.kind !== 'same').map((r) => [r.kind, r.text]),
      ),
      [['added', 'single ']],
    );
    assert.deepEqual(
      model.revisions.slice(-2).map((r) => r.note),
      ['Every customer', 'even more'],
    );
    const server = await api.reviewActions.get(review.id);
    assert.equal(server.verdicts.filter((v) => v.username === 'bob' && !v.dismissed).length, 0);
    await browser({ kind: 'screenshot', name: 'review-panel-stale-approve' });
    // "Open in diff editor" compares with the tab shown: the previous revision, as the server holds it.
    await panel.handleMessage({ type: 'openDiff', comparison: 'previousRevision' });
    const diff = await waitFor('the diff editor against revision 1', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    });
    assert.equal((await vscode.workspace.openTextDocument(diff.original)).getText(), review.headContent);
    assert.equal((await vscode.workspace.openTextDocument(diff.modified)).getText(), next.headContent);
    assert.equal(
      vscode.window.tabGroups.activeTabGroup.activeTab?.label,
      `greeting: revision ${next.revision - 1} ↔ review revision ${next.revision}`,
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    git('checkout', '--', GREETING);
  });
});
