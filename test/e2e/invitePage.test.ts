import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server/startServer';
import type { CreateInviteResponse } from '../../src/shared/api/invites';
import { as } from '../support/reviewServer';
import { sqliteBackend, type TestBackend } from '../support/serverBackends';
import { STATIC_TOKEN, startTestServer } from '../support/serverFixtures';
import { http } from '../support/serverHttp';
import { CHROMIUM_FLAGS } from '../vscode/codeServerSession';
import { CHROMIUM_PATH } from '../vscode/installCodeServer';

/** The page the server serves at `/invite`, in a real browser: the invitee's whole path. */
describe('invite page in Chromium', function () {
  this.timeout(60_000);
  let backend: TestBackend;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    backend = sqliteBackend();
    server = await startTestServer(backend);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await backend?.cleanup();
  });

  it('reads the token from the fragment, refuses a weak password, then creates the account once', async () => {
    const res = await as(server, STATIC_TOKEN).post('/api/invites', { username: 'nina', role: 'viewer' });
    const { token } = res.json as CreateInviteResponse;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The refused POSTs log "Failed to load resource"; anything else (a CSP violation) is a fault.
    page.on(
      'console',
      (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()),
    );
    await page.goto(`${server.url}/invite#${token}`);

    assert.equal(await page.inputValue('#token'), token, 'the token comes from the fragment');
    assert.equal(new URL(page.url()).hash, '', 'and leaves the address bar');

    await page.fill('#password', 'nina12345678');
    await page.click('button[type=submit]');
    await page.waitForSelector('#result.error');
    assert.match((await page.textContent('#result')) ?? '', /easy to guess|guess|common|Add another word/i);

    await page.fill('#password', 'nina rides a copper comet 8');
    await page.click('button[type=submit]');
    await page.waitForSelector('#result.ok');
    assert.match((await page.textContent('#result')) ?? '', /Your account nina is ready/);
    assert.ok(await page.isHidden('#accept'), 'the form is gone');
    assert.deepEqual(errors, [], 'no script errors (the CSP allows the page its own script)');

    const login = await http(server.url, {
      method: 'POST',
      path: '/api/login',
      body: { username: 'nina', password: 'nina rides a copper comet 8' },
    });
    assert.equal(login.status, 200);

    // Opened again, the same link says why it no longer works.
    const again = await browser.newPage();
    await again.goto(`${server.url}/invite#${token}`);
    await again.fill('#password', 'nina rides a copper comet 8');
    await again.click('button[type=submit]');
    await again.waitForSelector('#result.error');
    assert.match((await again.textContent('#result')) ?? '', /already accepted/);
  });
});
