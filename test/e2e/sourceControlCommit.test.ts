/**
 * Committing from VS Code's Source Control view with the PromptOps pre-commit hook
 * installed, as a team sets it up: the demo's own setup (server key pinned, without the
 * demo's sample signing keys); git signs commits with each user's SSH key; paul installs the hook
 * from the extension's offer and registers his key from its next offer, erin registers
 * hers with `promptops signing-key add`, the admin commits `promptops directory pull`.
 * The hook then knows each committer offline by their signing key (no token, no
 * PROMPTOPS_USER): paul's allowed change lands signed; erin's change to a prod prompt is
 * refused with the access file's reason in git's error dialog, and nothing is committed.
 *
 * Screenshots go to out/test/e2e/screenshots; with PROMPTOPS_UPDATE_SCREENSHOTS=1 (npm run
 * screenshots) also to docs/screenshots, which the README shows.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_USERS, ROOT, startDemo, type RunningDemo } from '../../demo/startDemo';
import { sshKeygen, type SshKeyFiles } from '../support/sshKeys';
import { CHROMIUM_FLAGS } from '../vscode/codeServerSession';
import { normal, Workbench } from './support/workbench';

const REFUND = 'prompts/support/refund-policy.prompt';
const CLI = join(ROOT, 'dist', 'cli.js');

const password = (username: string) => DEMO_USERS.find((u) => u.username === username)!.password;

describe('committing from Source Control with the pre-commit hook (browser end to end)', function () {
  this.timeout(90_000);
  let demo: RunningDemo;
  let stateDir: string;
  let browser: Browser;
  let page: Page;
  let wb: Workbench;
  let keys: Record<'paul' | 'erin', SshKeyFiles>;

  // ---- helpers of this story (the shared ones: test/e2e/support/workbench.ts) ----

  const git = (...args: string[]) => execFileSync('git', args, { cwd: demo.repo, encoding: 'utf8' }).trim();

  /** The CLI as a person runs it in a terminal in the repository, with their own config folder. */
  function promptops(args: string[], env: Record<string, string>): string {
    return execFileSync(process.execPath, [CLI, ...args], {
      cwd: demo.repo,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
  }

  /**
   * In the Source Control view: stage `path` with its row's Stage Changes button, type the
   * message into the input box and commit with Ctrl+Enter.
   */
  async function stageAndCommit(path: string, message: string): Promise<void> {
    await wb.runCommand('Source Control: Focus on Changes View');
    const sidebar = page.locator('.part.sidebar .scm-view');
    const name = path.split('/').pop()!;
    const changes = sidebar.locator('.monaco-list-row', { hasText: name });
    await changes.first().waitFor({ timeout: 20_000 });
    await changes.first().hover();
    await changes.first().locator('[aria-label="Stage Changes"]').click();
    await sidebar.locator('.monaco-list-row', { hasText: 'Staged Changes' }).first().waitFor({ timeout: 10_000 });
    const input = sidebar.locator('.scm-editor .monaco-editor').first();
    await input.click();
    await page.keyboard.type(message);
    await page.keyboard.press('Control+Enter');
  }

  async function headAfter(before: string, ms: number): Promise<string> {
    const deadline = Date.now() + ms;
    let head = git('rev-parse', 'HEAD');
    while (head === before && Date.now() < deadline) {
      await page.waitForTimeout(200);
      head = git('rev-parse', 'HEAD');
    }
    return head;
  }

  // ---- the setup: the demo, with the server key pinned and git signing with paul's key ----

  before(async function () {
    this.timeout(240_000);
    stateDir = mkdtempSync(join(tmpdir(), 'promptops-e2e-scm-'));
    // The demo pins the server's key and applies the access file; this story sets signing up
    // itself, as a team adopting it does, so the demo's own sample keys stay out of it.
    demo = await startDemo({
      stateDir,
      signCommits: false,
      // Ports the processes bind themselves (0): none is probed here and taken in between.
      serverPort: 0,
      vscodePort: 0,
      settings: {
        'workbench.tips.enabled': false,
        'git.openRepositoryInParentFolders': 'never',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'git.autofetch': false,
      },
    });
    // Each person's SSH key; this clone signs as paul, as `promptops signing-key add` says to.
    const keyDir = join(stateDir, 'keys');
    mkdirSync(keyDir);
    keys = { paul: sshKeygen(keyDir, 'paul'), erin: sshKeygen(keyDir, 'erin') };
    git('config', 'gpg.format', 'ssh');
    git('config', 'user.signingkey', keys.paul.privatePath);
    git('config', 'commit.gpgsign', 'true');

    browser = await chromium.launch({ executablePath: demo.install.chromiumPath, args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    wb = new Workbench(page, demo.repo, password);
    await page.goto(demo.vscodeUrl);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await wb.showPromptOps();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page)
      await wb.shot(`failed-scm-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`, false).catch(() => {});
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await demo?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  // ---- the story ----

  it('paul installs the hook from its offer and registers his signing key from the next one', async () => {
    await wb.signIn('paul');
    await wb.toast(/PromptOps: signed in as paul, /);
    await wb.clickToastButton('install the pre-commit hook in this repository?', 'Install Hook');
    // One notification: the news, and the offer it leads to.
    await wb.clickToastButton(
      /PromptOps: pre-commit hook installed\. Register the SSH key git signs your commits with \(SHA256:\S+/,
      'Register Key',
    );
    await wb.toast(/PromptOps: registered SHA256:\S+ as paul's/);
    assert.match(readFileSync(join(demo.repo, '.git/hooks/pre-commit'), 'utf8'), /dist\/cli\.js/);
  });

  it('erin registers her key with the CLI; the admin commits a fresh signed user directory', () => {
    const erinHome = join(stateDir, 'erin-config');
    promptops(['login', '--server', demo.serverUrl, '--username', 'erin'], {
      XDG_CONFIG_HOME: erinHome,
      PROMPTOPS_PASSWORD: password('erin'),
    });
    assert.match(promptops(['signing-key', 'add', keys.erin.publicPath], { XDG_CONFIG_HOME: erinHome }), /Registered/);
    assert.match(
      promptops(['directory', 'pull'], { PROMPTOPS_API_KEY: demo.token }),
      /Wrote .*directory\.yaml: \d+ users/,
    );
    const directory = readFileSync(join(demo.repo, '.promptops/directory.yaml'), 'utf8');
    for (const k of [keys.paul, keys.erin]) assert.ok(directory.includes(k.publicKey.split(' ')[1]), directory);
    // A protected file: the admin commits it through the hook (as admin, unsigned).
    git('add', '.promptops/directory.yaml');
    execFileSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-qm', 'User directory with signing keys'], {
      cwd: demo.repo,
      env: { ...process.env, PROMPTOPS_USER: 'admin', PROMPTOPS_ROLE: 'admin' },
    });
  });

  it('paul (publisher) commits an allowed prod change from Source Control: it lands, signed with his key', async () => {
    const before = git('rev-parse', 'HEAD');
    await wb.openFile(REFUND);
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: 'Read-only' })
      .waitFor({ state: 'detached', timeout: 10_000 });
    await wb.typeAtEndOfLine(REFUND, 'offer to escalate instead.', ' Thank them for asking.');
    await wb.clearNotifications();
    await stageAndCommit(REFUND, 'Thank the customer for asking');
    const head = await headAfter(before, 30_000);
    assert.notEqual(head, before, 'a new commit');
    assert.equal(git('log', '-1', '--format=%s'), 'Thank the customer for asking');
    assert.deepEqual(git('show', '--name-only', '--format=', 'HEAD').split('\n'), [REFUND]);
    // Signed with paul's key: git verifies it against an allowed-signers file naming him.
    const allowed = join(stateDir, 'allowed_signers');
    writeFileSync(allowed, `paul@example.com namespaces="git" ${keys.paul.publicKey}\n`);
    execFileSync('git', ['-c', `gpg.ssh.allowedSignersFile=${allowed}`, 'verify-commit', 'HEAD'], {
      cwd: demo.repo,
      stdio: 'pipe',
    });
    assert.match(
      execFileSync('git', ['-c', `gpg.ssh.allowedSignersFile=${allowed}`, 'log', '-1', '--format=%G? %GS'], {
        cwd: demo.repo,
        encoding: 'utf8',
      }).trim(),
      /^G paul@example\.com$/,
    );
    assert.equal(git('status', '--porcelain'), '');
    await page.locator('.monaco-dialog-box').waitFor({ state: 'detached', timeout: 1000 });
  });

  it("erin (drafter) commits a change to a prod prompt from Source Control: git's dialog names the reason, no commit", async () => {
    // erin's clone: git signs with her key (a terminal step), and she signs in to VS Code.
    git('config', 'user.signingkey', keys.erin.privatePath);
    await wb.signOut();
    await wb.signIn('erin');
    await wb.toast(/PromptOps: signed in as erin, /);
    // The prod prompt is read-only for her in VS Code; she changes it from outside (a script, another editor).
    const path = join(demo.repo, REFUND);
    writeFileSync(path, readFileSync(path, 'utf8').replace('Thank them for asking.', 'Always offer a refund.'));
    const before = git('rev-parse', 'HEAD');
    await wb.clearNotifications();
    await stageAndCommit(REFUND, 'Always refund');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const said = normal(await dialog.innerText());
    assert.match(
      said,
      /Git: prompts\/support\/refund-policy\.prompt: Read-only: prod prompts in `support` need the `publisher` role; you are `drafter` in `support`\./,
      said,
    );
    assert.match(said, /Show Command Output/); // the hook's whole answer, one click away
    await wb.shot('source-control-commit-refused');
    assert.equal(git('rev-parse', 'HEAD'), before, 'no commit was made');
    assert.match(git('diff', '--cached', '--name-only'), /refund-policy\.prompt/, 'her change stays staged');
  });
});
