/**
 * `npm run test:vscode`: the mocha suite in test/vscode/suite, inside the real extension
 * host of code-server, against a real PromptOps server and a real temp git repository.
 * Prints the host's mocha report; exits with the suite's code. The closing
 * `N passed, N failed` line comes from the suite itself.
 *
 *   PROMPTOPS_VSCODE_VERBOSE=1   also print code-server's own output
 *   PROMPTOPS_VSCODE_GREP=text   run only tests whose title contains `text`
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

async function serveBrowserRequest(request: BrowserRequest, page: Page, browserDir: string): Promise<void> {
  if (request.kind === 'type') {
    // The active editor group's text area; clicking gives it keyboard focus as a person would.
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await page.keyboard.type(request.text, { delay: 15 });
    await page.waitForTimeout(300);
  } else if (request.kind === 'clickInWebview') {
    await clickInWebview(page, request.selector);
  } else {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${request.name}.png`) });
  }
  writeFileSync(join(browserDir, `${request.id}.done`), '');
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
