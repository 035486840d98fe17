/**
 * `npm test` after the build: the unit suite, the integration suite (real server, git,
 * PostgreSQL), the VS Code suite, then the end-to-end suite, each streamed as it runs; the
 * last line adds them up as `N passed, N failed[, N skipped]` (the line CI reads). Every
 * suite runs even when an earlier one fails, so one run shows everything.
 */
import { spawn } from 'node:child_process';

interface SuiteOutcome {
  name: string;
  exitCode: number;
  passed: number;
  failed: number;
  skipped: number;
}

const SUMMARY = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/;

function runSuite(name: string, command: string, args: string[]): Promise<SuiteOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let last: RegExpMatchArray | null = null;
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) last = SUMMARY.exec(line) ?? last;
    });
    child.on('close', (code) => {
      const m = (pending && SUMMARY.exec(pending)) || last;
      const outcome = {
        name,
        exitCode: code ?? 1,
        passed: Number(m?.[1] ?? 0),
        failed: Number(m?.[2] ?? 0),
        skipped: Number(m?.[3] ?? 0),
      };
      // A suite that died before reporting still counts as a failure.
      if (outcome.exitCode !== 0 && outcome.failed === 0) outcome.failed = 1;
      resolve(outcome);
    });
  });
}

async function main(): Promise<void> {
  const suites = [
    await runSuite('unit', 'npx', ['mocha', 'test/unit/**/*.test.ts']),
    await runSuite('integration', 'npx', ['mocha', 'test/integration/**/*.test.ts']),
    await runSuite('vscode', 'npx', ['tsx', 'test/vscode/runCodeServerTests.ts']),
    await runSuite('e2e', 'npx', ['mocha', 'test/e2e/**/*.test.ts']),
  ];
  const sum = (k: 'passed' | 'failed' | 'skipped') => suites.reduce((n, s) => n + s[k], 0);
  for (const s of suites)
    process.stdout.write(
      `${s.name}: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}\n`,
    );
  const skipped = sum('skipped');
  process.stdout.write(`\n${sum('passed')} passed, ${sum('failed')} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  process.exit(suites.some((s) => s.exitCode !== 0) ? 1 : 0);
}

void main();
