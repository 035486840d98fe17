/**
 * Starts code-server (a real VS Code build) isolated in temp folders, opens the
 * workbench in headless Chromium with the `payload` that makes it load a development
 * extension and run an extension-tests module, and reports the suite's exit code.
 * See shared/VSCODE-TESTING.md for why this and not @vscode/test-electron here.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CodeServerInstall } from './installCodeServer';

export interface SuiteRunOptions {
  install: CodeServerInstall;
  /** Folder opened in the workbench. */
  folder: string;
  /** Absolute folders holding a package.json extension manifest (the web workbench honours only one). */
  extensionDevelopmentPaths: [string];
  /** Absolute path of the compiled module exporting `run(): Promise<void>`. */
  extensionTestsPath: string;
  /** Set on code-server; they reach the extension host. */
  env?: Record<string, string>;
  /** `.vsix` files installed (as a user would) before the workbench starts. */
  installVsix?: string[];
  /** Extra user settings (settings.json). */
  settings?: Record<string, unknown>;
  timeoutMs?: number;
  /** Every console line from the extension host, as it arrives. */
  onLog?: (line: string, page: Page) => void | Promise<void>;
  /** Print code-server's own output (noisy; for debugging). */
  verbose?: boolean;
}

export interface SuiteRunResult {
  exitCode: number;
  log: string[];
  /** From spawning code-server to the suite's exit. */
  elapsedMs: number;
}

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms`);
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL'); // the whole group: code-server forks its extension host
  } catch {
    // already gone
  }
}

/** The host's console arguments as one line, with printf-style `%s`/`%d` applied as node's console would. */
function textOf(args: unknown): string {
  const list: unknown[] = Array.isArray(args) ? args : [args];
  return format(...list);
}

export async function runSuiteInCodeServer(options: SuiteRunOptions): Promise<SuiteRunResult> {
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), 'promptops-code-server-'));
  const userData = join(scratch, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'chat.disableAIFeatures': true,
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'git.enabled': false,
      ...options.settings,
    }),
  );
  for (const vsix of options.installVsix ?? []) {
    const installed = spawnSync(
      join(options.install.nodeDir, 'bin', 'node'),
      [options.install.codeServerEntry, '--user-data-dir', userData, '--extensions-dir', join(scratch, 'extensions'), '--install-extension', vsix],
      { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(scratch, 'xdg-config'), XDG_DATA_HOME: join(scratch, 'xdg-data') } },
    );
    if (installed.status !== 0) throw new Error(`installing ${vsix} failed: ${installed.stderr || installed.stdout}`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { install } = options;
  const child = spawn(
    join(install.nodeDir, 'bin', 'node'),
    [
      install.codeServerEntry,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--ignore-last-opened',
      '--user-data-dir', userData,
      '--extensions-dir', join(scratch, 'extensions'),
      '--vscode-option', 'enable-smoke-test-driver',
      options.folder,
    ],
    {
      detached: true,
      stdio: options.verbose ? 'inherit' : 'ignore',
      env: {
        ...process.env,
        PATH: `${join(install.nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
        XDG_CONFIG_HOME: join(scratch, 'xdg-config'),
        XDG_DATA_HOME: join(scratch, 'xdg-data'),
        XDG_CACHE_HOME: join(scratch, 'xdg-cache'),
        ...options.env,
      },
    },
  );
  const log: string[] = [];
  let browser: Browser | undefined;
  try {
    await waitForHealth(url, child, 30_000);
    browser = await chromium.launch({ executablePath: install.chromiumPath, args: CHROMIUM_FLAGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let settle: (code: number) => void = () => {};
    const exited = new Promise<number>((resolve) => (settle = resolve));
    await page.exposeFunction('codeAutomationLog', (_type: unknown, args: unknown) => {
      const line = textOf(args);
      log.push(line);
      if (options.onLog) {
        Promise.resolve(options.onLog(line, page)).catch((err: unknown) => log.push(`[runner] ${(err as Error).message}`));
      }
    });
    await page.exposeFunction('codeAutomationExit', (code: unknown) => settle(typeof code === 'number' ? code : 1));
    const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
    const payload = [
      ...options.extensionDevelopmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
      ['extensionTestsPath', remote(options.extensionTestsPath)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(`${url}/?folder=${encodeURIComponent(options.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timeoutMs = options.timeoutMs ?? 240_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        log.push(`[runner] the suite did not finish within ${timeoutMs / 1000} s`);
        resolve(1);
      }, timeoutMs);
    });
    const exitCode = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    return { exitCode, log, elapsedMs: Date.now() - started };
  } finally {
    await browser?.close().catch(() => {});
    killGroup(child);
    rmSync(scratch, { recursive: true, force: true });
  }
}
