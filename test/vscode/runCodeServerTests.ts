/**
 * `npm run test:vscode`: the mocha suite in test/vscode/suite, inside the real extension
 * host of code-server, against a real PromptOps server and a real temp git repository.
 * Prints the host's mocha report; exits with the suite's code. The closing
 * `N passed, N failed` line comes from the suite itself.
 *
 *   PROMPTOPS_VSCODE_VERBOSE=1   also print code-server's own output
 *   PROMPTOPS_VSCODE_GREP=text   run only tests whose title contains `text`
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { parseBrowserRequest, type BrowserRequest } from './browserRequests';
import { runSuiteInCodeServer } from './codeServerSession';
import { packLmProviderExtension } from './fixture/lmProviderExtension';
import { createTestFixture } from './fixture/testFixture';
import { SUITE_STARTED_MARKER } from './fixture/testUsers';
import { ensureCodeServer } from './installCodeServer';

const ROOT = resolve(__dirname, '..', '..');
export const SCREENSHOT_DIR = join(ROOT, 'out', 'test', 'vscode', 'screenshots');

/** Webview content sits two iframes deep; look through every frame until the element shows up. */
async function clickInWebview(page: Page, selector: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const target = frame.locator(selector).first();
      if ((await target.count().catch(() => 0)) > 0 && (await target.isEnabled().catch(() => false))) {
        await target.click();
        return;
      }
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no enabled ${selector} in any webview within 15 s`);
}

const WAIT_MS = 15_000;

/**
 * The messages in the notification center (the test opens it first: under the smoke-test
 * driver that runs the suite, VS Code shows no toasts and every notification goes there).
 * With `waitFor`, once one says it; with `click`, then its button of that label pressed (a
 * button shows on an expanded notification: a click on it, or the right arrow, expands it).
 */
async function notifications(page: Page, waitFor: string | undefined, click: string | undefined): Promise<string[]> {
  const shown = () => page.locator('.notifications-center .notification-list-item-message').allInnerTexts();
  if (waitFor === undefined) return shown();
  const item = page.locator('.notifications-center .notification-list-item', { hasText: waitFor }).first();
  await item.waitFor({ state: 'visible', timeout: WAIT_MS }).catch(async (err: unknown) => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'failed-notification.png') });
    const message = (err as Error).message.split('\n')[0];
    throw new Error(`no notification saying "${waitFor}" (shown: ${JSON.stringify(await shown())}): ${message}`);
  });
  const messages = await shown();
  if (click !== undefined) {
    const button = item.locator('.monaco-button', { hasText: click }).first();
    if (!(await button.isVisible())) await item.click();
    if (!(await button.isVisible())) await page.keyboard.press('ArrowRight');
    await button.click({ timeout: WAIT_MS });
  }
  return messages;
}

async function carryOut(request: BrowserRequest, page: Page): Promise<unknown> {
  if (request.kind === 'type') {
    // The active editor group's text area; clicking gives it keyboard focus as a person would.
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await page.keyboard.type(request.text, { delay: 15 });
    // Done once the editor answers: the text shows, or it says it cannot be edited.
    const typed = page
      .locator('.editor-group-container.active .monaco-editor .view-lines')
      .filter({ hasText: request.text });
    await typed
      .or(page.locator('.monaco-editor-overlaymessage'))
      .first()
      .waitFor({ state: 'visible', timeout: WAIT_MS });
  } else if (request.kind === 'clickInWebview') {
    await clickInWebview(page, request.selector);
  } else if (request.kind === 'waitFor') {
    for (const selector of request.selectors)
      await page.locator(selector).first().waitFor({ state: 'visible', timeout: WAIT_MS });
  } else if (request.kind === 'notifications') {
    return notifications(page, request.waitFor, request.click);
  } else {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${request.name}.png`) });
  }
  return undefined;
}

/** Carries the request out and answers with `{ answer }` or, so the test fails with the reason, `{ error }`. */
async function serveBrowserRequest(request: BrowserRequest, page: Page, browserDir: string): Promise<void> {
  const reply = await carryOut(request, page).then(
    (answer) => ({ answer }),
    (err: unknown) => ({ error: `${request.kind}: ${(err as Error).message}` }),
  );
  // Written whole, then renamed: the test reads the answer as soon as the file exists.
  const done = join(browserDir, `${request.id}.done`);
  writeFileSync(`${done}.part`, JSON.stringify(reply));
  renameSync(`${done}.part`, done);
}

async function main(): Promise<number> {
  const installStarted = Date.now();
  const install = ensureCodeServer();
  const installMs = Date.now() - installStarted;
  const fixture = await createTestFixture();
  const verbose = process.env.PROMPTOPS_VSCODE_VERBOSE === '1';
  const vsixDir = mkdtempSync(join(tmpdir(), 'promptops-vsix-'));
  let started = false;
  try {
    const result = await runSuiteInCodeServer({
      install,
      folder: fixture.repo,
      extensionDevelopmentPaths: [ROOT],
      extensionTestsPath: join(ROOT, 'out', 'test', 'vscode', 'suite', 'index.js'),
      // A deterministic chat model for the `vscode.lm` path, installed as a user would.
      installVsix: [packLmProviderExtension(vsixDir)],
      env: {
        ...fixture.env,
        ...(process.env.PROMPTOPS_VSCODE_GREP ? { PROMPTOPS_VSCODE_GREP: process.env.PROMPTOPS_VSCODE_GREP } : {}),
      },
      verbose,
      onLog: async (line, page) => {
        // Before the suite starts, the console carries the workbench's offline noise.
        if (line.includes(SUITE_STARTED_MARKER)) started = true;
        const request = parseBrowserRequest(line);
        if (request) await serveBrowserRequest(request, page, fixture.browserDir);
        else if (started || verbose) process.stdout.write(`${line}\n`);
      },
    });
    process.stdout.write(
      `[runner] code-server suite finished in ${(result.elapsedMs / 1000).toFixed(1)} s` +
        (installMs > 2000 ? ` (first-time install took ${(installMs / 1000).toFixed(0)} s)` : '') +
        `, exit ${result.exitCode}\n`,
    );
    if (result.exitCode !== 0 && !result.log.some((l) => /\d+ passed, \d+ failed/.test(l)))
      process.stdout.write('\n0 passed, 1 failed\n');
    return result.exitCode;
  } finally {
    rmSync(vsixDir, { recursive: true, force: true });
    await fixture.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[runner] ${(err as Error).stack ?? String(err)}\n0 passed, 1 failed\n`);
    process.exit(1);
  },
);
