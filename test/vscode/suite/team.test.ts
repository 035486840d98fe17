import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { NodeWorkingTree } from '../../../src/cli/nodeWorkingTree';
import type { ReviewPanel } from '../../../src/extension/panels/reviewPanel';
import type { EditorPublishOutcome } from '../../../src/extension/reviews/reviewActions';
import { openGitRepository } from '../../../src/git';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { publishAndPush } from '../../../src/workflows/pushPublish';
import { requestReview } from '../../../src/workflows/requestReview';
import type { SyncOutcome } from '../../../src/workflows/syncUpstream';
import { temporaryFolder } from '../../../src/workflows/temporaryFolder';
import { TEST_USERS } from '../fixture/testUsers';
import { closeAllEditors, promptRow, repoRoot, signInAs, signOut, waitFor } from './helpers';
import { reviewPanelView } from './reviewPanelView';

const GREETING = 'prompts/support/greeting.prompt';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** The greeting's one sentence set to `words`, whatever earlier suites left there. */
const withGreeting = (content: string, words: string) =>
  content.replace(/^.*by name: \{\{name\}\}\.$/m, `${words} by name: {{name}}.`);
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe' });

/**
 * Issue 10 in the editor: this window's folder and a second clone of one bare remote, one
 * server. The review is drafted in the other clone; this window's reviewer reads it in the
 * diff editor (never loaded here) and checks it out; the publisher publishes with
 * `promptops.publish.push: always`; then a publish from the other clone shows up here as
 * `published upstream`, and Sync brings it in.
 */
describe('a team across clones: diff and Check Out from the server, publish with push, published upstream and Sync', () => {
  let top = '';
  let bare = '';
  let other = '';
  let reviewId = '';
  let drafted = '';
  const here = () => repoRoot();
  const file = () => join(here(), ...GREETING.split('/'));

  before(() => {
    top = mkdtempSync(join(tmpdir(), 'promptops-team-'));
    bare = join(top, 'remote.git');
    git(top, 'init', '-q', '--bare', '-b', 'main', bare);
    // Earlier suites leave this clone clean on main; it becomes a clone of the bare remote.
    git(here(), 'remote', 'add', 'origin', bare);
    git(here(), 'push', '-q', '-u', 'origin', 'main');
    other = join(top, 'other');
    git(top, 'clone', '-q', bare, other);
    git(other, 'config', 'user.email', 'other@promptops.invalid');
    git(other, 'config', 'user.name', 'Other Clone');
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('promptops')
      .update('publish.push', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    await signOut();
    git(here(), 'remote', 'remove', 'origin');
    rmSync(top, { recursive: true, force: true });
  });

  it("the diff editor shows the server's versions of a review drafted in another clone, never loaded in this window", async () => {
    const alice = await signInAs(TEST_USERS.alice);
    const otherFile = join(other, ...GREETING.split('/'));
    drafted = withGreeting(readFileSync(otherFile, 'utf8'), 'Greet the returning customer');
    writeFileSync(otherFile, drafted);
    const { review } = await requestReview(
      alice.model.session.api(),
      { path: GREETING, content: drafted, note: 'Drafted in the other clone' },
      { tree: new NodeWorkingTree(other), author: 'alice' },
    );
    reviewId = review.id;
    assert.notEqual(readFileSync(file(), 'utf8'), drafted, 'this clone never had the change');

    const bob = await signInAs(TEST_USERS.bob);
    const uri = (side: string) =>
      vscode.Uri.from({
        scheme: 'promptops-review',
        path: `/${GREETING}`,
        query: new URLSearchParams({ id: reviewId, side, rev: String(review.revision) }).toString(),
      });
    // The document a restored diff editor (or a link) asks for: nothing of this review is cached.
    const head = await vscode.workspace.openTextDocument(uri('head'));
    assert.equal(head.getText(), drafted);
    const base = await vscode.workspace.openTextDocument(uri('base'));
    const server = await bob.reviewActions.get(reviewId);
    assert.equal(base.getText(), server.baseContent ?? '');

    await vscode.commands.executeCommand('promptops.openReviewDiff', { id: reviewId });
    const tab = await waitFor('the diff editor', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    });
    assert.equal(tab.modified.scheme, 'promptops-review');
    assert.equal((await vscode.workspace.openTextDocument(tab.modified)).getText(), drafted);
    await closeAllEditors();
  });

  it('bob checks the review out from its panel: refused over his own edit (nothing changed), then written and hash-checked; revised, Check Out replaces his copy of the earlier revision', async () => {
    const bob = await signInAs(TEST_USERS.bob);
    const panel = await vscode.commands.executeCommand<ReviewPanel>('promptops.openReview', { id: reviewId });
    const shown = await reviewPanelView(panel);
    assert.equal(shown.model?.actions.checkout.allowed, true, 'Check Out is offered for an open review');

    const mine = `${readFileSync(file(), 'utf8')}\n<!-- bob's note to self -->\n`;
    writeFileSync(file(), mine);
    await bob.settled();
    await panel.handleMessage({ type: 'checkout' });
    assert.match(shown.error ?? '', new RegExp(`not the approved head of review #${reviewId}`));
    assert.match(shown.error ?? '', /Nothing was changed/);
    assert.equal(readFileSync(file(), 'utf8'), mine, 'his edit is kept');

    git(here(), 'checkout', '--', GREETING);
    await bob.settled();
    await panel.handleMessage({ type: 'checkout' });
    assert.equal(shown.error, undefined);
    assert.match(shown.notice ?? '', new RegExp(`^Checked out revision \\d+ of review #${reviewId} into ${GREETING}`));
    assert.equal(readFileSync(file(), 'utf8'), drafted);
    assert.equal(git(here(), 'status', '--porcelain').trim(), `M ${GREETING}`);

    // alice revises in her clone; bob's copy is revision 1, which the server keeps: Check Out replaces it.
    const alice = await signInAs(TEST_USERS.alice);
    const otherFile = join(other, ...GREETING.split('/'));
    drafted = withGreeting(drafted, 'Greet the returning customer warmly');
    writeFileSync(otherFile, drafted);
    const { review: revised } = await requestReview(
      alice.model.session.api(),
      { path: GREETING, content: drafted, note: 'warmer' },
      { tree: new NodeWorkingTree(other), author: 'alice' },
    );
    assert.equal(revised.id, reviewId);
    const bobAgain = await signInAs(TEST_USERS.bob);
    const panelAgain = await vscode.commands.executeCommand<ReviewPanel>('promptops.openReview', { id: reviewId });
    const again = await reviewPanelView(panelAgain);
    await bobAgain.settled();
    await panelAgain.handleMessage({ type: 'checkout' });
    assert.equal(again.error, undefined);
    assert.match(again.notice ?? '', new RegExp(`^Checked out revision ${revised.revision} of review #${reviewId}`));
    assert.equal(readFileSync(file(), 'utf8'), drafted);
    await closeAllEditors();
  });

  it('carol publishes with promptops.publish.push = always: prompt and lock reach the bare remote, and this clone follows', async () => {
    const bob = await signInAs(TEST_USERS.bob);
    const review = await bob.reviewActions.get(reviewId);
    await bob.reviewActions.approve(reviewId, review.headHash);
    await vscode.workspace
      .getConfiguration('promptops')
      .update('publish.push', 'always', vscode.ConfigurationTarget.Global);
    // bob may approve but not publish: the server refuses to sign, and nothing reaches the remote or this clone.
    const tipBefore = git(bare, 'rev-parse', 'main').trim();
    const headBefore = git(here(), 'rev-parse', 'HEAD').trim();
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('promptops.publishReview', { id: reviewId }, { scripted: true })),
      /publish/i,
    );
    assert.equal(git(bare, 'rev-parse', 'main').trim(), tipBefore, 'nothing was pushed');
    assert.equal(git(here(), 'rev-parse', 'HEAD').trim(), headBefore, 'nothing was committed here');
    assert.equal((await bob.reviewActions.get(reviewId)).status, 'open');

    const carol = await signInAs(TEST_USERS.carol);
    const outcome = await vscode.commands.executeCommand<EditorPublishOutcome>(
      'promptops.publishReview',
      { id: reviewId },
      { scripted: true },
    );
    assert.ok(outcome.push, 'it was pushed');
    assert.equal(outcome.push.result.kind, 'pushed');
    assert.equal(outcome.push.branch, 'main');
    const remoteTip = git(bare, 'rev-parse', 'main').trim();
    assert.equal(remoteTip, outcome.push.result.commit);
    assert.equal(git(bare, 'show', `main:${GREETING}`), drafted);
    assert.ok(
      git(bare, 'show', 'main:.promptops/published.yaml').includes(sha256(drafted)),
      'the lock holds the release',
    );
    assert.deepEqual(
      outcome.push.localSync,
      { synced: true },
      'the checked-out copy (same bytes) was put back and fast-forwarded',
    );
    assert.equal(git(here(), 'rev-parse', 'HEAD').trim(), remoteTip);
    assert.equal(git(here(), 'status', '--porcelain').trim(), '');
    await carol.settled();
    await waitFor('the published badge', () => /\bpublished$/.test(promptRow(carol, 'greeting.prompt').description));
    const panel = await vscode.commands.executeCommand<ReviewPanel>('promptops.openReview', { id: reviewId });
    const { model } = await reviewPanelView(panel);
    assert.equal(model?.actions.checkout.allowed, false, 'a published review is not checked out');
    assert.match(model?.actions.checkout.reason ?? '', /Already published/);
    await closeAllEditors();
  });

  it('a publish pushed from the other clone shows here as "published upstream", and Sync brings it in', async () => {
    // alice drafts here; the other clone publishes it (the same workflow as `promptops publish --push`).
    const alice = await signInAs(TEST_USERS.alice);
    const next = withGreeting(readFileSync(file(), 'utf8'), 'Greet every customer');
    writeFileSync(file(), next);
    await alice.settled();
    const review = await vscode.commands.executeCommand<ReviewDto>('promptops.requestReview', {
      path: GREETING,
      note: 'Every customer',
    });
    const bob = await signInAs(TEST_USERS.bob);
    await bob.reviewActions.approve(review.id, review.headHash);
    const carol = await signInAs(TEST_USERS.carol);
    git(other, 'checkout', '--', '.');
    const pushed = await publishAndPush(
      review.id,
      {
        client: carol.model.session.api(),
        repo: await openGitRepository(other),
        tree: new NodeWorkingTree(other),
        tempDir: temporaryFolder,
        openTree: (root) => new NodeWorkingTree(root),
      },
      { remote: 'origin', branch: 'main', committer: { username: 'carol', role: 'editor' } },
    );
    assert.equal(pushed.result.kind, 'pushed');

    const api = await signInAs(TEST_USERS.alice);
    assert.equal(git(here(), 'status', '--porcelain').trim(), `M ${GREETING}`, 'her change is still local');
    await vscode.commands.executeCommand('promptops.refreshViews');
    await api.settled();
    const row = await waitFor('"published upstream"', () => {
      const r = promptRow(api, 'greeting.prompt');
      return /published upstream/.test(r.description) ? r : undefined;
    });
    assert.match(row.contextValue, /\bpublishedUpstream\b/, 'Sync is offered on the row');
    assert.doesNotMatch(row.description, /\bmodified\b/);
    assert.ok(api.model.repository().upstream, 'Sync is offered in the view title');

    const outcome = await vscode.commands.executeCommand<SyncOutcome>('promptops.syncUpstream', undefined, {
      scripted: true,
    });
    assert.deepEqual(outcome.plan.reset, [GREETING]);
    assert.equal(git(here(), 'rev-parse', 'HEAD').trim(), git(bare, 'rev-parse', 'main').trim());
    assert.equal(git(here(), 'status', '--porcelain').trim(), '', 'a clean tree equal to the remote');
    assert.equal(readFileSync(file(), 'utf8'), next);
    await api.settled();
    await waitFor('"published" after Sync', () => /\bpublished$/.test(promptRow(api, 'greeting.prompt').description));
    assert.equal(api.model.repository().upstream, undefined, 'nothing left to sync');
  });

  it('Sync never discards a local change that differs from upstream: refused, naming the file, nothing changed', async () => {
    const api = await signInAs(TEST_USERS.alice);
    // Someone pushes a different change to the same prompt from the other clone.
    git(other, 'checkout', '-q', '--', '.');
    git(other, 'pull', '-q', '--ff-only', 'origin', 'main');
    const otherFile = join(other, ...GREETING.split('/'));
    writeFileSync(otherFile, withGreeting(readFileSync(otherFile, 'utf8'), 'Greet each guest'));
    git(other, 'commit', '-q', '-am', 'A different greeting');
    git(other, 'push', '-q', 'origin', 'main');
    const mine = withGreeting(readFileSync(file(), 'utf8'), 'Greet every single customer');
    writeFileSync(file(), mine);
    await api.settled();
    const head = git(here(), 'rev-parse', 'HEAD').trim();
    await vscode.commands.executeCommand('promptops.refreshViews');
    await api.settled();
    assert.match(promptRow(api, 'greeting.prompt').description, /\bmodified\b/, 'not "published upstream": it differs');
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('promptops.syncUpstream', undefined, { scripted: true })),
      (err: Error) => err.message.includes(GREETING) && /nothing was changed/.test(err.message),
    );
    assert.equal(readFileSync(file(), 'utf8'), mine, 'her change is kept');
    assert.equal(git(here(), 'rev-parse', 'HEAD').trim(), head, 'no fast-forward');
    git(here(), 'checkout', '--', GREETING);
    await api.settled();
  });

  it('promptops.publish.push = ask: the question comes before publishing, and "Not now" leaves the remote unchanged', async () => {
    const path = `prompts/support/ask-${Date.now()}.prompt`;
    const content = '---\nmodel: gpt-4o-mini\nenv: dev\n---\n<system>\nAsk before pushing.\n</system>\n';
    const alice = await signInAs(TEST_USERS.alice);
    const { review } = await requestReview(
      alice.model.session.api(),
      { path, content },
      { tree: new NodeWorkingTree(here()), author: 'alice' },
    );
    const bob = await signInAs(TEST_USERS.bob);
    await bob.reviewActions.approve(review.id, review.headHash);
    const carol = await signInAs(TEST_USERS.carol);
    await vscode.workspace
      .getConfiguration('promptops')
      .update('publish.push', 'ask', vscode.ConfigurationTarget.Global);
    const remoteBefore = git(bare, 'for-each-ref', '--format=%(refname) %(objectname)');
    const headBefore = git(here(), 'rev-parse', 'HEAD').trim();
    const asked: { message: string; buttons: string[]; statusThen: string }[] = [];
    const window = vscode.window as { showInformationMessage: (...args: unknown[]) => Thenable<unknown> };
    const real = window.showInformationMessage;
    // The notification's answer, as a person would click it; any other message goes on as usual.
    window.showInformationMessage = async (...args: unknown[]) => {
      const [message, ...buttons] = args as [string, ...string[]];
      if (!/and push it to origin\/main\?/.test(message)) return real.apply(vscode.window, args);
      asked.push({ message, buttons, statusThen: (await carol.reviewActions.get(review.id)).status });
      return 'Not now';
    };
    let outcome: EditorPublishOutcome | undefined;
    try {
      outcome = await vscode.commands.executeCommand<EditorPublishOutcome>('promptops.publishReview', {
        id: review.id,
      });
    } finally {
      window.showInformationMessage = real;
      git(here(), 'reset', '-q', '--hard', headBefore);
    }
    assert.equal(asked.length, 1, 'asked once');
    assert.match(asked[0].message, new RegExp(`review #${review.id}\\) and push it to origin/main\\?`));
    assert.deepEqual(asked[0].buttons, ['Push', 'Not now']);
    assert.equal(asked[0].statusThen, 'open', 'asked before anything was published');
    assert.equal(outcome?.push, undefined, 'not pushed');
    assert.ok(outcome?.commit, 'published on the checked-out branch only');
    assert.equal(
      git(bare, 'for-each-ref', '--format=%(refname) %(objectname)'),
      remoteBefore,
      'the remote is unchanged',
    );
  });
});
