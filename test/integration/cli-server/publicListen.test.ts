import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { assertSafeToListen } from '../../../src/server/auth/securityWarnings';
import { isLoopbackHost } from '../../../src/server/loopback';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { buildCli, spawnServe } from '../../support/serverProcess';

const STRONG_TOKEN = 'a-strong-operator-token-0123456789abcdef';

/** Runs `promptops serve` to its exit; with default credentials off loopback it must stop before listening. */
async function serveUntilExit(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [await buildCli(), 'serve', '--port', '0', ...args], {
    env: { ...process.env, PROMPTOPS_LOG_LEVEL: 'warn', PROMPTOPS_TOKEN: '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(killer);
  assert.doesNotMatch(stderr, /listening on/, 'refused before listening');
  return { code, stderr };
}

function envOf(backend: TestBackend): Record<string, string> {
  const o = backend.options;
  return o.databaseUrl
    ? { PROMPTOPS_DATABASE_URL: o.databaseUrl, PROMPTOPS_DATABASE_SCHEMA: o.databaseSchema ?? '' }
    : { PROMPTOPS_DATA_DIR: o.dataDir ?? '' };
}

describe('default credentials off loopback', () => {
  it('treats 127.0.0.0/8, ::1 and localhost as loopback, everything else as reachable', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost'])
      assert.equal(isLoopbackHost(host), true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com', '::ffff:10.0.0.1']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
    assert.doesNotThrow(() => assertSafeToListen('0.0.0.0', []), 'no default credentials: any address');
  });
});

describeEachBackend('promptops serve off loopback', (makeBackend) => {
  let backend: TestBackend;

  before(() => {
    backend = makeBackend();
  });

  after(async () => {
    await backend?.cleanup();
  });

  it('refuses 0.0.0.0 with admin/admin and the default token: exit 2, saying what to set', async () => {
    const { code, stderr } = await serveUntilExit(['--host', '0.0.0.0'], envOf(backend));
    assert.equal(code, 2, stderr);
    assert.match(stderr, /Refusing to listen on 0\.0\.0\.0/);
    assert.match(stderr, /set PROMPTOPS_TOKEN to a random secret of at least 32 characters/);
    assert.match(stderr, /"admin" still has the password "admin".*--host 127\.0\.0\.1/);
  });

  it('refuses a weak operator token, and admin/admin even with a strong token', async () => {
    const weak = await serveUntilExit(['--host', '0.0.0.0'], { ...envOf(backend), PROMPTOPS_TOKEN: 'short-secret' });
    assert.equal(weak.code, 2, weak.stderr);
    assert.match(weak.stderr, /PROMPTOPS_TOKEN is shorter than 32 characters/);
    const strong = await serveUntilExit(['--host', '::'], { ...envOf(backend), PROMPTOPS_TOKEN: STRONG_TOKEN });
    assert.equal(strong.code, 2, strong.stderr);
    assert.match(strong.stderr, /"admin" still has the password "admin"/);
    assert.doesNotMatch(strong.stderr, /PROMPTOPS_TOKEN/);
  });

  it('keeps working on loopback with the defaults', async () => {
    const server = await spawnServe(['--host', '127.0.0.1'], { ...envOf(backend), PROMPTOPS_TOKEN: '' });
    try {
      assert.match(server.stderr(), /WARNING/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
