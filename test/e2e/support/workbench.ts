import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ROOT } from '../../../demo/startDemo';

const SHOTS = join(ROOT, 'out', 'test', 'e2e', 'screenshots');
const DOCS_SHOTS = join(ROOT, 'docs', 'screenshots');

/** VS Code's NotificationsToasts.SPAM_PROTECTION interval: at most 3 new toasts within it. */
const TOAST_SPAM_INTERVAL_MS = 800;

/** The workbench's text with its non-breaking spaces as plain ones. */
export const normal = (s: string) => s.replace(/\u00a0/g, ' ');

/**
 * The workbench as a person uses it (the command palette, input boxes, notifications, the
 * editor), for the browser end-to-end specs in test/e2e. `repo` is the folder the workbench
 * has open; `password` gives each user's password for Sign In.
 */
export class Workbench {
  constructor(
    readonly page: Page,
    private readonly repo: string,
    private readonly password: (username: string) => string,
  ) {}

  readonly quickInput = (): Locator => this.page.locator('.quick-input-widget');

  /** A screenshot in out/test/e2e/screenshots; `forDocs` also copies it to docs/screenshots with PROMPTOPS_UPDATE_SCREENSHOTS=1. */
  readonly shot = async (name: string, forDocs = true): Promise<void> => {
    mkdirSync(SHOTS, { recursive: true });
    // Animations finished rather than caught halfway (playwright ends them for the shot).
    await this.page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled' });
    if (forDocs && process.env.PROMPTOPS_UPDATE_SCREENSHOTS === '1')
      copyFileSync(join(SHOTS, `${name}.png`), join(DOCS_SHOTS, `${name}.png`));
  };

  /** F1, type the command's title, Enter on its row. */
  readonly runCommand = async (title: string): Promise<void> => {
    const page = this.page;
    for (let attempt = 0; attempt < 3; attempt++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      if (
        await this.quickInput()
          .isVisible()
          .catch(() => false)
      )
        break;
      try {
        await this.quickInput().waitFor({ state: 'visible', timeout: 3000 });
        break;
      } catch {
        await page
          .locator('.part.statusbar')
          .click({ position: { x: 600, y: 5 } })
          .catch(() => {}); // focus back in the workbench
      }
    }
    const input = this.quickInput().locator('input');
    await input.fill(`>${title}`);
    await this.quickInput().locator('.monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
    await input.press('Enter');
  };

  /** The next input box or quick pick with this title: type the value (or filter) and Enter. */
  readonly answer = async (title: string | RegExp, value: string): Promise<void> => {
    await this.quickInput().locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 10_000 });
    const input = this.quickInput().locator('input');
    await input.fill(value);
    await input.press('Enter');
  };

  readonly pick = async (title: string | RegExp, label: string): Promise<void> => {
    await this.quickInput().locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 10_000 });
    await this.quickInput().locator('input').fill(label);
    await this.quickInput().locator('.monaco-list-row', { hasText: label }).first().waitFor({ timeout: 5000 });
    await this.quickInput().locator('input').press('Enter');
  };

  /** A notification toast with this text, on screen. */
  readonly toast = async (text: string | RegExp, timeout = 15_000): Promise<Locator> => {
    const t = this.page.locator('.notification-toast', { hasText: text }).first();
    await t.waitFor({ state: 'visible', timeout });
    return t;
  };

  /**
   * Clicks a toast's button as a person does: once it has slid into place (VS Code adds
   * `notification-fade-in-done` when its 0.3 s transition ends) and been on screen for
   * 800 ms. VS Code toasts at most 3 notifications per 800 ms (NotificationsToasts'
   * spam protection) and puts the rest in the notification center only, so an answer to
   * a click made sooner (after sign-in's burst of toasts) would never show as a toast.
   */
  readonly clickToastButton = async (text: string | RegExp, button: string): Promise<void> => {
    await this.toast(text);
    const readBy = Date.now() + TOAST_SPAM_INTERVAL_MS;
    const settled = this.page.locator('.notification-toast.notification-fade-in-done', { hasText: text }).first();
    await settled.waitFor({ state: 'visible', timeout: 15_000 });
    const reading = readBy - Date.now();
    if (reading > 0) await this.page.waitForTimeout(reading);
    await settled.locator('a.monaco-button, .monaco-button', { hasText: button }).first().click();
  };

  readonly clearNotifications = async (): Promise<void> => {
    await this.runCommand('Notifications: Clear All Notifications');
  };

  readonly signIn = async (username: string): Promise<void> => {
    await this.clearNotifications();
    await this.runCommand('PromptOps: Sign In');
    await this.pick(/PromptOps: Sign In to/, 'Username and password');
    await this.answer('PromptOps: Username', username);
    await this.answer(`PromptOps: Password for ${username}`, this.password(username));
  };

  readonly signOut = async (): Promise<void> => {
    await this.runCommand('View: Close All Editors');
    await this.clearNotifications();
    await this.runCommand('PromptOps: Sign Out');
    await this.toast('PromptOps: signed out');
  };

  readonly openFile = async (path: string): Promise<void> => {
    const page = this.page;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await this.quickInput().waitFor({ state: 'visible' });
    await this.quickInput().locator('input').fill(path);
    // Click the row itself: Enter would take the focused row, which until the filter has run
    // can be another recently opened file.
    await this.quickInput()
      .locator('.monaco-list-row', { hasText: path.split('/').pop()! })
      .first()
      .click({ timeout: 10_000 });
    await page.locator('.tab.active', { hasText: path.split('/').pop()! }).waitFor({ timeout: 10_000 });
    await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  };

  /** In the open editor: go to the line containing `anchor` (Ctrl+G), type `text` at its end, save (Ctrl+S). */
  readonly typeAtEndOfLine = async (path: string, anchor: string, text: string): Promise<void> => {
    const page = this.page;
    const lineNo =
      readFileSync(join(this.repo, path), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(anchor)) + 1;
    assert.ok(lineNo > 0, `${path} has a line with ${anchor}`);
    await page.keyboard.press('Control+G');
    await this.quickInput().locator('input').fill(`:${lineNo}`);
    await this.quickInput().locator('input').press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.type(text);
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
    // Saved means on disk: wait for the bytes (up to 5 s), and say so if they never come.
    const onDisk = () => readFileSync(join(this.repo, path), 'utf8').includes(text.trim());
    for (let i = 0; i < 50 && !onDisk(); i++) await page.waitForTimeout(100);
    assert.ok(onDisk(), `${path} on disk has what was typed (${JSON.stringify(text.trim())}) after saving`);
  };

  /** The PromptOps views in the side bar, opened from the activity bar when they are not shown. */
  readonly showPromptOps = async (): Promise<void> => {
    const item = this.page.locator('.activitybar [aria-label^="PromptOps"]').first();
    await item.waitFor({ timeout: 20_000 });
    const shown = await this.page
      .locator('.part.sidebar .title-label', { hasText: 'PromptOps' })
      .isVisible()
      .catch(() => false);
    if (!shown) await item.click();
    await this.page.locator('.part.sidebar .pane-header', { hasText: 'Prompts' }).waitFor();
  };
}
