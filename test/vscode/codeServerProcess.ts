/**
 * code-server (a real VS Code build) started isolated: its own user-data, extensions and
 * XDG folders, optional `.vsix` installs and settings. The VS Code tests drive it with a
 * test payload; `npm run demo` hands it to a person.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeServerInstall } from './installCodeServer';

export interface CodeServerOptions {
  install: CodeServerInstall;
  /** The folder the workbench opens. */
  folder: string;
  /** Set on code-server; they reach the extension host. */
  env?: Record<string, string>;
  /** `.vsix` files installed (as a user would) before the workbench starts. */
  installVsix?: string[];
  /** Extra user settings (settings.json). */
  settings?: Record<string, unknown>;
  /** Honour the `payload` URL parameter that loads a development extension and its tests. */
  smokeTestDriver?: boolean;
  /** Where user data and extensions live; default a temp folder removed on stop. */
  stateDir?: string;
  /**
   * The port to listen on; when it is taken, or absent or 0, one the system picks. code-server
   * binds it itself and says which, so no port is probed here and handed over to be taken in between.
   */
  port?: number;
  /** Print code-server's own output (noisy; for debugging). */
  verbose?: boolean;
  /** Pin code-server and its extension host to these CPUs (`taskset -c` list, e.g. "1"): benchmarks. */
  cpus?: string;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** Kills code-server and its extension host; removes the temp state folder if it made one. */
  stop(): void;
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const temporary = options.stateDir === undefined;
  const state = options.stateDir ?? mkdtempSync(join(tmpdir(), 'promptops-code-server-'));
  const userData = join(state, 'user-data');
  const extensions = join(state, 'extensions');
  const xdg = (name: string) => join(state, `xdg-${name}`);
  mkdirSync(join(userData, 'User'), { recursive: true });
  const settingsFile = join(userData, 'User', 'settings.json');
  // A kept state (a second start) keeps what the extensions wrote there, as a user's does.
  const kept = !temporary && existsSync(settingsFile) ? (JSON.parse(readFileSync(settingsFile, 'utf8')) as object) : {};
  writeFileSync(
    settingsFile,
    JSON.stringify({
      ...kept,
      'chat.disableAIFeatures': true,
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'git.enabled': false,
      ...options.settings,
    }),
  );
  const { install } = options;
  const isolated = {
    ...process.env,
    XDG_CONFIG_HOME: xdg('config'),
    XDG_DATA_HOME: xdg('data'),
    XDG_CACHE_HOME: xdg('cache'),
  };
  for (const vsix of options.installVsix ?? []) {
    const installed = spawnSync(
      join(install.nodeDir, 'bin', 'node'),
      [
        install.codeServerEntry,
        '--user-data-dir',
        userData,
        '--extensions-dir',
        extensions,
        '--install-extension',
        vsix,
        '--force',
      ],
      { encoding: 'utf8', env: isolated },
    );
    if (installed.status !== 0) throw new Error(`installing ${vsix} failed: ${installed.stderr || installed.stdout}`);
  }
  const node = join(install.nodeDir, 'bin', 'node');
  const launch = (port: number): Promise<CodeServerStart> =>
    spawnCodeServer(
      options.cpus ? 'taskset' : node,
      [
        ...(options.cpus ? ['-c', options.cpus, node] : []),
        install.codeServerEntry,
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--ignore-last-opened',
        '--user-data-dir',
        userData,
        '--extensions-dir',
        extensions,
        ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
        options.folder,
      ],
      { ...isolated, PATH: `${join(install.nodeDir, 'bin')}:${process.env.PATH ?? ''}`, ...options.env },
      options.verbose ?? false,
    );
  const preferred = options.port ?? 0;
  let started = await launch(preferred);
  if (started.kind === 'failed' && started.portTaken && preferred !== 0) started = await launch(0);
  if (started.kind === 'failed') {
    if (temporary) rmSync(state, { recursive: true, force: true });
    throw new Error(`code-server ${started.why}`);
  }
  const { port, child } = started;
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    killGroup(child);
    if (temporary) rmSync(state, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, 30_000);
  } catch (err) {
    stop();
    throw err;
  }
  return { url, port, child, stop };
}

type CodeServerStart =
  { kind: 'listening'; port: number; child: ChildProcess } | { kind: 'failed'; why: string; portTaken: boolean };

/** code-server's line once it listens (stable across 4.x): the port it really bound. */
const LISTENING = /HTTP server listening on http:\/\/[^\s:]+:(\d+)/;
const START_TIMEOUT_MS = 30_000;

/** Starts code-server and waits for its "HTTP server listening on" line. */
function spawnCodeServer(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  verbose: boolean,
): Promise<CodeServerStart> {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  return new Promise((done) => {
    let output = '';
    let listening = false;
    const timer = setTimeout(() => {
      killGroup(child);
      done({ kind: 'failed', why: `did not listen within ${START_TIMEOUT_MS / 1000} s:\n${output}`, portTaken: false });
    }, START_TIMEOUT_MS);
    // Read for as long as it runs, so a full pipe never blocks it.
    const read = (chunk: Buffer, to: NodeJS.WriteStream) => {
      if (verbose) to.write(chunk);
      if (listening) return;
      output += chunk.toString('utf8');
      const port = LISTENING.exec(output)?.[1];
      if (port) {
        listening = true;
        clearTimeout(timer);
        done({ kind: 'listening', port: Number(port), child });
      }
    };
    child.stdout.on('data', (chunk: Buffer) => read(chunk, process.stdout));
    child.stderr.on('data', (chunk: Buffer) => read(chunk, process.stderr));
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({
        kind: 'failed',
        why: `exited (${code}) before it listened:\n${output}`,
        portTaken: /EADDRINUSE/.test(output),
      });
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
