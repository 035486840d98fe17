/**
 * The same suite in desktop VS Code through @vscode/test-electron, for machines that can
 * download VS Code (this one cannot: see shared/VSCODE-TESTING.md; CI uses
 * runCodeServerTests.ts). Tests that need a browser (real typing, clicking in the
 * webview, screenshots) are skipped here; the rest run unchanged.
 *
 *   npm run test:vscode:electron            # VS Code stable
 *   VSCODE_VERSION=1.139.0 npm run test:vscode:electron
 */
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { LM_PROVIDER_DIR } from './fixture/lmProviderExtension';
import { createTestFixture } from './fixture/testFixture';
import { TEST_ENV } from './fixture/testUsers';

const ROOT = resolve(__dirname, '..', '..');

async function main(): Promise<number> {
  const fixture = await createTestFixture();
  try {
    const env: Record<string, string> = { ...fixture.env };
    delete env[TEST_ENV.browserDir]; // no browser to drive in desktop VS Code
    return await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      // The deterministic `vscode.lm` chat model loads beside PromptOps (desktop takes several).
      extensionDevelopmentPath: [ROOT, LM_PROVIDER_DIR],
      extensionTestsPath: join(ROOT, 'out', 'test', 'vscode', 'suite', 'index.js'),
      launchArgs: [fixture.repo, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
      extensionTestsEnv: env,
    });
  } finally {
    await fixture.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[test-electron] ${(err as Error).message}\n0 passed, 1 failed\n`);
    process.exit(1);
  },
);
