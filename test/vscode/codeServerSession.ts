/**
 * Starts code-server (a real VS Code build) isolated in temp folders, opens the
 * workbench in headless Chromium with the `payload` that makes it load a development
 * extension and run an extension-tests module, and reports the suite's exit code.
 * See shared/VSCODE-TESTING.md for why this and not @vscode/test-electron here.
 */
import { format } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startCodeServer } from './codeServerProcess';
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
  /** Pin code-server and its extension host to these CPUs (benchmarks). */
  cpus?: string;
  /** Keep user data and global storage here across runs (benchmarks of a second start); a new temporary one otherwise. */
  stateDir?: string;
}

export interface SuiteRunResult {
  exitCode: number;
  log: string[];
  /** From spawning code-server to the suite's exit. */
  elapsedMs: number;
}

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The host's console arguments as one line, with printf-style `%s`/`%d` applied as node's console would. */
function textOf(args: unknown): string {
  const list: unknown[] = Array.isArray(args) ? args : [args];
  return format(...list);
}

export async function runSuiteInCodeServer(options: SuiteRunOptions): Promise<SuiteRunResult> {
  const started = Date.now();
  const { install } = options;
  const codeServer = await startCodeServer({
    install,
    folder: options.folder,
    env: options.env,
    installVsix: options.installVsix,
    settings: options.settings,
    smokeTestDriver: true,
    verbose: options.verbose,
    cpus: options.cpus,
    stateDir: options.stateDir,
  });
  const { url, port } = codeServer;
  const log: string[] = [];
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: install.chromiumPath, args: CHROMIUM_FLAGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let settle: (code: number) => void = () => {};
    const exited = new Promise<number>((resolve) => (settle = resolve));
    await page.exposeFunction('codeAutomationLog', (_type: unknown, args: unknown) => {
      const line = textOf(args);
      log.push(line);
      if (options.onLog) {
        Promise.resolve(options.onLog(line, page)).catch((err: unknown) =>
          log.push(`[runner] ${(err as Error).message}`),
        );
      }
    });
    await page.exposeFunction('codeAutomationExit', (code: unknown) => settle(typeof code === 'number' ? code : 1));
    const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
    const payload = [
      ...options.extensionDevelopmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
      ['extensionTestsPath', remote(options.extensionTestsPath)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(
      `${url}/?folder=${encodeURIComponent(options.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
      // Playwright's 30 s default is too short for a first workbench load on a loaded machine.
      { timeout: 120_000 },
    );
    // A hang detector for the whole suite, not a speed target: each test has its own mocha timeout.
    const timeoutMs = options.timeoutMs ?? 600_000;
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
    codeServer.stop();
  }
}
