/**
 * The extension-tests entry the workbench loads (`extensionTestsPath`): mocha inside the
 * real extension host. Test files are bundled in (see allTests.ts); mocha itself is
 * loaded from node_modules. Ends with the `N passed, N failed` line CI reads.
 */
import Mocha from 'mocha';
import { SUITE_STARTED_MARKER } from '../fixture/testUsers';

export async function run(): Promise<void> {
  console.log(SUITE_STARTED_MARKER);
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 30_000,
    color: false,
    reporter: 'spec',
    grep: process.env.PROMPTOPS_VSCODE_GREP || undefined,
  });
  // Bundled test files call describe/it when evaluated: give them mocha's globals first.
  mocha.suite.emit('pre-require', globalThis, 'vscode-suite', mocha);
  await import('./allTests');
  const stats = await new Promise<{ passes: number; failures: number; pending: number }>((resolve) => {
    const runner = mocha.run(() =>
      resolve({
        passes: runner.stats?.passes ?? 0,
        failures: runner.stats?.failures ?? 0,
        pending: runner.stats?.pending ?? 0,
      }),
    );
  });
  const skipped = stats.pending ? `, ${stats.pending} skipped` : '';
  console.log(`\n${stats.passes} passed, ${stats.failures} failed${skipped}`);
  if (stats.failures > 0) throw new Error(`${stats.failures} test(s) failed`);
}
