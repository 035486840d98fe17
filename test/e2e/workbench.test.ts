/**
 * What a person sees: the demo's own setup (demo/startDemo.ts), then headless
 * Chromium (playwright-core) driving the VS Code workbench the way the sample team would,
 * switching users through Sign Out / Sign In. Every step checks the screen (workbench DOM,
 * notifications, tree rows, the review panel inside its nested iframes) and, where the
 * step changes something, the disk and git too.
 *
 * Screenshots go to out/test/e2e/screenshots; with PROMPTOPS_UPDATE_SCREENSHOTS=1 (npm run
 * screenshots) also to docs/screenshots, which the README shows.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { DEMO_USERS, startDemo, type RunningDemo } from '../../demo/startDemo';
import { NodeWorkingTree } from '../../src/cli/nodeWorkingTree';
import { PromptOpsClient } from '../../src/client/promptOpsClient';
import { openGitRepository } from '../../src/git';
import { publishAndPush } from '../../src/workflows/pushPublish';
import { temporaryFolder } from '../../src/workflows/temporaryFolder';
import { CHROMIUM_FLAGS } from '../vscode/codeServerSession';
import { normal, Workbench } from './support/workbench';

const TRIAGE = 'prompts/support/triage.prompt.yml';
const REFUND = 'prompts/support/refund-policy.prompt';
const ADDED_LINE = ' Never explain your choice.';

const EXTRA_PASSWORDS: Record<string, string> = { admin: 'admin', nina: 'nina-demo-pass' };
const password = (username: string) =>
  DEMO_USERS.find((u) => u.username === username)?.password ?? EXTRA_PASSWORDS[username];

/** A file decoration's badge on the active tab: VS Code's lock (an icon) or PromptOps's RO (letters). */
const TAB_BADGE = '.tab.active .monaco-decoration-badge';

describe('what a person sees in VS Code (browser end to end)', function () {
  this.timeout(60_000);
  let demo: RunningDemo;
  let stateDir: string;
  let browser: Browser;
  let page: Page;
  let wb: Workbench;

  // ---- helpers of this story (the shared ones: test/e2e/support/workbench.ts) ----

  /** Drags the sash on the side bar's right edge `by` pixels to the right, as a person widens it. */
  async function widenSideBar(by: number): Promise<void> {
    const box = await page.locator('.part.sidebar').boundingBox();
    if (!box) throw new Error('no side bar to widen');
    const x = box.x + box.width + 1;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + by, y, { steps: 8 });
    await page.mouse.up();
  }

  async function editorText(): Promise<string> {
    return normal(await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText());
  }

  /** A tree row in one of the PromptOps views. */
  const row = (text: string | RegExp) => page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();

  /**
   * The review panel's page, once it shows `selector`: the visible webview (VS Code's frame
   * around it, then the page's own, two iframes deep).
   */
  async function reviewFrame(selector: string): Promise<FrameLocator> {
    const frame = page.locator('iframe.webview:visible').contentFrame().locator('iframe#active-frame').contentFrame();
    await frame.locator(selector).first().waitFor({ timeout: 20_000 });
    return frame;
  }

  /**
   * A sync point, not an assertion: the active tab's file may be typed into. Its tab shows no
   * lock (VS Code's, while the user settings still list it in files.readonlyInclude) and no
   * RO badge (PromptOps's): a person switching users waits for the lock to go too.
   */
  async function activeTabEditable(): Promise<void> {
    await page.locator(TAB_BADGE).waitFor({ state: 'detached', timeout: 10_000 });
  }

  const git = (...args: string[]) => execFileSync('git', args, { cwd: demo.repo, encoding: 'utf8' }).trim();

  // ---- the setup: exactly what `npm run demo` runs ----

  before(async function () {
    this.timeout(180_000);
    stateDir = mkdtempSync(join(tmpdir(), 'promptops-e2e-'));
    const started = Date.now();
    demo = await startDemo({
      stateDir,
      // Ports the processes bind themselves (0): none is probed here and taken in between.
      serverPort: 0,
      vscodePort: 0,
      settings: {
        'promptops.offerGitHook': false,
        'workbench.tips.enabled': false,
        'git.openRepositoryInParentFolders': 'never',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
    });
    browser = await chromium.launch({ executablePath: demo.install.chromiumPath, args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    wb = new Workbench(page, demo.repo, password);
    await page.goto(demo.vscodeUrl);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await wb.showPromptOps();
    await row('support').waitFor({ timeout: 30_000 });
    process.stdout.write(`      (demo and workbench up in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  });

  afterEach(async function () {
    if (process.env.PROMPTOPS_E2E_DEBUG && this.currentTest?.state === 'failed')
      process.stdout.write(readFileSync(join(stateDir, 'code-server/user-data/User/settings.json'), 'utf8') + '\n');
    if (this.currentTest?.state === 'failed' && page)
      await wb.shot(`failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {});
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await demo?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  // ---- the story ----

  it('a viewer (victor) signs in and finds the prod prompt read-only, with the reason', async () => {
    await wb.signIn('victor');
    await wb.toast(/PromptOps: signed in as victor, viewer in /);
    const onDisk = readFileSync(join(demo.repo, REFUND), 'utf8');
    await wb.openFile(REFUND);
    // Its tab carries a lock (what activeTabEditable waits to see gone for a user who may edit).
    await page.locator(TAB_BADGE).first().waitFor({ timeout: 10_000 });
    const before = await editorText();
    assert.match(before, /refund/i);
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.type('XYZZY');
    // The editor's "cannot edit" message by the cursor: the keys reached it and it refused them.
    await page.locator('.monaco-editor-overlaymessage').waitFor({ timeout: 10_000 });
    assert.equal(await editorText(), before, 'typing does not change the read-only editor');
    assert.doesNotMatch(await editorText(), /XYZZY/);
    // The status bar says so; its click is Explain Access, with every decision's sentence.
    const lock = page.locator('.part.statusbar .statusbar-item', { hasText: 'Read-only' });
    await lock.waitFor({ timeout: 10_000 });
    await wb.shot('read-only-editor');
    await lock.click();
    await wb.quickInput().locator('.quick-input-title', { hasText: 'Explain Access' }).waitFor();
    const explained = normal(await wb.quickInput().innerText());
    assert.match(explained, /victor, org role viewer/, explained);
    assert.match(explained, /prompt\.edit/, explained);
    assert.match(
      explained,
      /prompt\.edit\s+Read-only: editing prod prompts in `support` needs the `publisher` or `admin` role; you are `viewer`\./,
      explained,
    );
    await page.keyboard.press('Escape');
    assert.equal(readFileSync(join(demo.repo, REFUND), 'utf8'), onDisk, 'the file on disk is unchanged');
  });

  it('an editor (erin) changes a dev prompt and requests review', async () => {
    await wb.signOut();
    await wb.signIn('erin');
    await wb.toast(/PromptOps: signed in as erin, /);
    await wb.openFile(TRIAGE);
    await activeTabEditable();
    // Signed in as a drafter, the dev prompt is editable: no lock in the status bar.
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: 'Read-only' })
      .waitFor({ state: 'detached', timeout: 10_000 });
    await wb.typeAtEndOfLine(TRIAGE, 'Answer with the queue name only.', ADDED_LINE);
    assert.match(await editorText(), /queue name only\. Never explain your choice\./); // the editor may have scrolled sideways
    assert.match(
      readFileSync(join(demo.repo, TRIAGE), 'utf8'),
      /Answer with the queue name only\. Never explain your choice\./,
    );
    // The Prompts view shows it as modified.
    await wb.showPromptOps();
    for (const node of ['support', 'dev']) {
      const r = row(new RegExp(`^${node}`));
      if ((await r.getAttribute('aria-expanded')) === 'false') await r.click();
    }
    await row(/triage\.prompt\.yml.*modified/).waitFor({ timeout: 15_000 });
    await wb.runCommand('PromptOps: Request Review');
    await wb.answer(/PromptOps: Request Review of/, 'Answer with the queue name only, no explanation');
    await wb.toast('PromptOps: review requested for Ticket triage (dev)');
    await wb.shot('prompts-view');
  });

  it("erin's own review panel: Approve is disabled, with the reason as its tooltip", async () => {
    const t = await wb.toast('PromptOps: review requested for Ticket triage (dev)');
    await t.locator('a.monaco-button, .monaco-button', { hasText: 'Open Review' }).first().click();
    const panel = await reviewFrame('button[data-action="approve"]');
    const approve = panel.locator('button[data-action="approve"]');
    assert.equal(await approve.isDisabled(), true, 'Approve is disabled for the author');
    const reason = (await approve.getAttribute('title')) ?? '';
    // Drafters may not approve at all (the access file denies them review.approve); the tooltip says so.
    assert.match(
      reason,
      /Approving changes to dev prompts in `support` needs .*; you are `drafter` in `support`\./,
      `the reason is the button's tooltip: ${reason}`,
    );
    assert.match(normal(await panel.locator('body').innerText()), /the author may not approve their own change/);
  });

  it('a reviewer (rita) opens the review from the Reviews view, sees the per-message diff, and approves', async () => {
    await wb.signOut();
    await wb.signIn('rita');
    await wb.toast(/PromptOps: signed in as rita, .*\breviewer in /);
    await wb.showPromptOps();
    await page.locator('.part.sidebar .pane-header', { hasText: 'Reviews' }).waitFor();
    const review = row(/Ticket triage.*support\/dev · erin/);
    await review.waitFor({ timeout: 15_000 });
    await review.click();
    // Message by message, in the tab that opens first: against the base commit as rita's git
    // resolves it (nothing is published yet), so only erin's new sentence is marked.
    const panel = await reviewFrame('section.message');
    assert.match(await panel.locator('[role="tab"][aria-selected="true"]').innerText(), /base commit [0-9a-f]{7}/);
    const shown = panel.locator('[role="tabpanel"]:not([hidden])');
    const system = shown.locator('section.message', { has: panel.locator('.role', { hasText: 'system' }) });
    await system.first().waitFor();
    assert.match((await system.getAttribute('aria-label')) ?? '', /Message 1, system, changed/);
    assert.equal(
      normal((await system.locator('ins').allInnerTexts()).join(' '))
        .replace(/\s+/g, ' ')
        .trim(),
      'Never explain your choice.',
    );
    assert.match((await shown.locator('section.message').nth(1).getAttribute('aria-label')) ?? '', /Message 2, user/);
    const approve = panel.locator('button[data-action="approve"]');
    assert.equal(await approve.isEnabled(), true);
    await wb.clearNotifications();
    await approve.click();
    // The panel itself answers (it shows no notification for its own buttons): the rule is met, by rita.
    await panel.locator('text=Approved by rita').waitFor({ timeout: 10_000 });
    await panel.locator('text=1 of 1 — rule met').waitFor({ timeout: 10_000 });
    await wb.shot('review-panel');
  });

  it('a publisher (paul) publishes: a notification, the lock file and a new commit', async () => {
    const commitsBefore = Number(git('rev-list', '--count', 'HEAD'));
    await wb.signOut();
    await wb.signIn('paul');
    await wb.toast(/PromptOps: signed in as paul, /);
    await wb.showPromptOps();
    const review = row(/Ticket triage.*support\/dev · erin/);
    await review.waitFor({ timeout: 15_000 });
    // Publish from the review's context menu in the Reviews view (the menu offers it to a publisher).
    await wb.clearNotifications();
    await review.click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-label', { hasText: /^Publish$/ }).first();
    await item.hover();
    await page.keyboard.press('Enter'); // a plain click on the menu can land before it takes input
    const t = await wb.toast(/PromptOps: published Ticket triage to dev \(commit [0-9a-f]{8}\)/, 20_000);
    const commit = /commit ([0-9a-f]{8})/.exec(await t.innerText())![1];
    assert.equal(Number(git('rev-list', '--count', 'HEAD')), commitsBefore + 1, 'one new commit');
    assert.ok(git('rev-parse', 'HEAD').startsWith(commit), 'the commit the notification names is HEAD');
    const files = git('show', '--name-only', '--format=', 'HEAD').split('\n');
    assert.deepEqual(files.sort(), ['.promptops/published.yaml', TRIAGE].sort());
    const lock = readFileSync(join(demo.repo, '.promptops/published.yaml'), 'utf8');
    assert.match(lock, /triage\.prompt\.yml/);
    assert.equal(git('status', '--porcelain'), '', 'nothing left uncommitted');
    // The Reviews view moves it to the closed ones, marked published.
    await page
      .locator('.part.sidebar .monaco-list-row', { hasText: /^Recently closed\s*1/ })
      .first()
      .waitFor({ timeout: 10_000 });
    // And the Prompts view reads the new lock file: the prompt is marked published.
    await row(/triage\.prompt\.yml\s*published/).waitFor({ timeout: 10_000 });
  });

  it('the author (paul, who may approve the others) tries to approve his own change and is refused', async () => {
    // paul may edit prod prompts in support and approve changes to them, but not his own.
    await wb.openFile(REFUND);
    await activeTabEditable();
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: 'Read-only' })
      .waitFor({ state: 'detached', timeout: 10_000 });
    await wb.typeAtEndOfLine(REFUND, 'offer to escalate instead.', ' Thank them for asking.');
    assert.match(readFileSync(join(demo.repo, REFUND), 'utf8'), /escalate instead\. Thank them for asking\./);
    await wb.clearNotifications();
    await wb.runCommand('PromptOps: Request Review');
    await wb.answer(/PromptOps: Request Review of/, 'Thank the customer');
    await wb.toast('PromptOps: review requested for refund-policy (prod)');
    // Approve from the command palette, picking his own review: it shows the review and says why not.
    await wb.clearNotifications();
    await wb.runCommand('PromptOps: Approve');
    await wb.pick('PromptOps: pick a review', 'refund-policy');
    const refused = await wb.toast(/You wrote this change/);
    assert.match(
      normal(await refused.innerText()),
      /You wrote this change, and the approval rule for prod prompts in `support` does not allow approving your own change\./,
    );
    // Approve from the palette opened the review panel: its button says the same.
    await wb.clearNotifications();
    const panel = await reviewFrame('button[data-action="approve"]:disabled');
    const approve = panel.locator('button[data-action="approve"]');
    assert.match((await approve.getAttribute('title')) ?? '', /You wrote this change/);
    assert.match(normal(await panel.locator('body').innerText()), /refund-policy/);
    // Nothing was approved: the server still counts 0 approvals.
    await panel.locator('text=0 of 1').first().waitFor({ timeout: 10_000 });
  });

  it('an admin adds a user and changes a role from the Users view; the next sign-in has the new role', async () => {
    await wb.signOut();
    await wb.signIn('admin');
    await wb.toast(/PromptOps: signed in as admin, admin in /);
    await wb.showPromptOps();
    const usersHeader = page.locator('.part.sidebar .pane-header', { hasText: 'Users' });
    await usersHeader.waitFor({ timeout: 15_000 });
    if ((await usersHeader.getAttribute('aria-expanded')) === 'false') await usersHeader.click();
    await row(/^victor/).waitFor({ timeout: 15_000 });
    // Add User: the view's title button.
    await usersHeader.hover();
    await usersHeader.locator('[aria-label="Add User"]').click();
    await wb.answer('PromptOps: Add User', 'nina');
    await wb.answer('PromptOps: Password for nina', 'nina-demo-pass');
    await wb.pick('PromptOps: Role for nina', 'viewer');
    await wb.toast('PromptOps: added nina (viewer)');
    const nina = row(/^nina/);
    await nina.waitFor();
    assert.match(normal(await nina.innerText()), /viewer/);
    // Change Role…: the row's inline action.
    await wb.clearNotifications();
    await nina.hover();
    await nina.locator('[aria-label="Change Role…"]').click();
    await wb.pick('PromptOps: New role for nina', 'editor');
    await wb.toast('PromptOps: nina is now editor');
    await page
      .locator('.part.sidebar .monaco-list-row', { hasText: /^nina\s*editor/ })
      .first()
      .waitFor({ timeout: 10_000 });
    await wb.shot('users-view');
    // It takes effect: nina signs in as an editor.
    await wb.signOut();
    await wb.signIn('nina');
    await wb.toast(/PromptOps: signed in as nina, .*\beditor in /);
  });

  it('a team across clones: a publish pushed from another clone shows as "published upstream", and Sync brings it in', async function () {
    this.timeout(120_000);
    // erin's clone is this window's folder; a bare remote and paul's clone, which never had her change.
    const top = mkdtempSync(join(tmpdir(), 'promptops-e2e-team-'));
    try {
      const bare = join(top, 'remote.git');
      const paulsClone = join(top, 'paul');
      execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
      git('remote', 'add', 'origin', bare);
      git('push', '-q', '-u', 'origin', 'main');
      execFileSync('git', ['clone', '-q', bare, paulsClone]);
      execFileSync('git', ['-C', paulsClone, 'config', 'user.email', 'paul@example.com']);
      execFileSync('git', ['-C', paulsClone, 'config', 'user.name', 'paul']);

      await wb.signOut();
      await wb.signIn('erin');
      await wb.toast(/PromptOps: signed in as erin, /);
      const changed = readFileSync(join(demo.repo, TRIAGE), 'utf8').replace(
        ADDED_LINE.trim(),
        `${ADDED_LINE.trim()} Answer in the customer's language.`,
      );
      writeFileSync(join(demo.repo, TRIAGE), changed);
      // Her review travels through the server; rita approves; paul publishes from his clone and pushes.
      const as = async (user: string) => {
        const client = new PromptOpsClient({ server: demo.serverUrl });
        await client.login(user, password(user));
        return client;
      };
      const review = await (await as('erin')).createReview({ path: TRIAGE, content: changed, note: 'Reply in kind' });
      await (await as('rita')).approve(review.id, { headHash: review.headHash, note: '' });
      const pushed = await publishAndPush(
        review.id,
        {
          client: await as('paul'),
          repo: await openGitRepository(paulsClone),
          tree: new NodeWorkingTree(paulsClone),
          tempDir: temporaryFolder,
          openTree: (root) => new NodeWorkingTree(root),
        },
        { remote: 'origin', branch: 'main', committer: { username: 'paul', role: 'editor' } },
      );
      assert.equal(pushed.result.kind, 'pushed');

      // erin refreshes: the Prompts view fetched the release branch and says what happened to her change.
      await wb.showPromptOps();
      const prompts = page.locator('.part.sidebar .pane-header', { hasText: 'Prompts' });
      await prompts.hover();
      await prompts.locator('[aria-label="Refresh"]').click();
      const triage = row(/triage\.prompt\.yml\s*published upstream/);
      await triage.waitFor({ timeout: 20_000 });
      await widenSideBar(200); // so the badge is read whole in the screenshot
      await page.mouse.move(800, 400); // no tooltip over the view in the screenshot
      await wb.shot('published-upstream');
      await wb.clearNotifications();
      await triage.hover();
      await triage.locator('[aria-label="Sync with Release Branch"]').click();
      await wb.toast(/PromptOps: Fast-forwarded main to origin\/main .*triage\.prompt\.yml \(review #\d+\)/, 20_000);
      await row(/triage\.prompt\.yml\s*published$/).waitFor({ timeout: 10_000 });
      // VS Code's own git view catches up on its own schedule; the screenshot should show it current.
      await wb.runCommand('Git: Refresh');
      await page.locator('.part.statusbar', { hasText: /\d+↓/ }).waitFor({ state: 'detached', timeout: 20_000 });
      await page.locator('.part.sidebar').click({ position: { x: 300, y: 460 } }); // focus away from the row's hover actions
      await wb.shot('synced');
      // The earlier refused self-approval leaves paul's refund change; triage is clean and equal to the remote.
      assert.equal(git('status', '--porcelain', '--', TRIAGE), '', 'triage has no local change left');
      assert.equal(
        git('rev-parse', 'HEAD'),
        execFileSync('git', ['-C', bare, 'rev-parse', 'main'], { encoding: 'utf8' }).trim(),
      );
      assert.equal(readFileSync(join(demo.repo, TRIAGE), 'utf8'), changed);
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});
