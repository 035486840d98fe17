/**
 * `npm run demo`: the whole story on one machine. Builds the `.vsix`, starts the server on
 * its embedded SQLite default, creates the sample users, prepares a sample prompt
 * repository (a git repo, kept between runs so your work survives), applies its access
 * file, and opens VS Code (code-server) in the browser with the extension installed from
 * the `.vsix`. Ctrl-C stops everything it started.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PromptOpsClient } from '../src/client/promptOpsClient';
import { startCodeServer, freePort, type RunningCodeServer } from '../test/vscode/codeServerProcess';
import { ensureCodeServer } from '../test/vscode/installCodeServer';
import { DEMO_USERS } from './demoUsers';

const ROOT = resolve(__dirname, '..');
const STATE = resolve(process.env.PROMPTOPS_DEMO_DIR ?? join(ROOT, '.promptops-demo'));
const REPO = join(STATE, 'repo');
const ACCESS = join(REPO, '.promptops', 'access.yaml');
const STATIC_TOKEN = process.env.PROMPTOPS_TOKEN ?? 'promptops-dev-token';

const step = (text: string) => process.stdout.write(`demo: ${text}\n`);

/** The port if nothing listens there, else a free one. */
async function portOr(preferred: number): Promise<number> {
  const taken = await fetch(`http://127.0.0.1:${preferred}/healthz`).then(
    () => true,
    () => false,
  );
  return taken ? freePort() : preferred;
}

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const port = await portOr(Number(process.env.PROMPTOPS_PORT ?? 4700));
  mkdirSync(STATE, { recursive: true });
  const log = openSync(join(STATE, 'server.log'), 'a');
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'serve', '--port', String(port), '--data-dir', join(STATE, 'server')], {
    stdio: ['ignore', log, log],
    env: { ...process.env, PROMPTOPS_TOKEN: STATIC_TOKEN },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see ${join(STATE, 'server.log')}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`the server did not answer at ${url} within 10 s; see ${join(STATE, 'server.log')}`);
}

async function createUsers(client: PromptOpsClient): Promise<void> {
  const existing = new Set((await client.listUsers()).map((u) => u.username));
  for (const u of DEMO_USERS) {
    if (!existing.has(u.username)) await client.createUser({ username: u.username, password: u.password, role: u.role, emails: [`${u.username}@example.com`] });
  }
}

/** The sample repository, made once; later runs only point it at this run's server. */
function prepareRepository(serverUrl: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, stdio: 'pipe' });
  const fresh = !existsSync(REPO);
  if (fresh) {
    cpSync(join(ROOT, 'demo', 'sample-repo'), REPO, { recursive: true });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'PromptOps Demo');
    git('config', 'user.email', 'admin@example.com');
  }
  const before = readFileSync(ACCESS, 'utf8');
  const after = before.replace(/^server: .*$/m, `server: ${serverUrl}`);
  if (after !== before) writeFileSync(ACCESS, after);
  if (fresh || after !== before) {
    git('add', '-A');
    git('commit', '-q', '-m', fresh ? 'Sample prompts and access file' : 'Point the access file at the demo server');
  }
}

async function main(): Promise<void> {
  step('building the extension package (npm run package)…');
  execFileSync('npm', ['run', '-s', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const vsix = join(ROOT, 'promptops.vsix');

  step('starting the server (SQLite in .promptops-demo/server)…');
  const server = await startServer();
  let codeServer: RunningCodeServer | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    step(`${signal}: stopping VS Code and the server…`);
    codeServer?.stop();
    server.child.once('exit', () => {
      step('stopped. Your sample repository stays in .promptops-demo/repo.');
      process.exit(0);
    });
    server.child.kill('SIGTERM');
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  try {
    const admin = new PromptOpsClient({ server: server.url, token: STATIC_TOKEN });
    step('creating the sample users…');
    await createUsers(admin);
    step('preparing the sample repository (.promptops-demo/repo)…');
    prepareRepository(server.url);
    await admin.applyPolicy(readFileSync(ACCESS, 'utf8'));

    step('starting VS Code in the browser (code-server; the first run installs it, ~2 minutes)…');
    const install = ensureCodeServer();
    codeServer = await startCodeServer({
      install,
      folder: REPO,
      installVsix: [vsix],
      settings: { 'promptops.serverUrl': server.url, 'git.enabled': true },
      stateDir: join(STATE, 'code-server'),
      port: await portOr(Number(process.env.PROMPTOPS_DEMO_VSCODE_PORT ?? 8080)),
    });
  } catch (err) {
    codeServer?.stop();
    server.child.kill('SIGTERM');
    throw err;
  }

  const width = Math.max(...DEMO_USERS.map((u) => u.username.length));
  process.stdout.write(
    [
      '',
      `PromptOps demo is running.`,
      `  VS Code:  ${codeServer.url}/?folder=${encodeURIComponent(REPO)}`,
      `  Server:   ${server.url}  (admin / admin, or the token ${STATIC_TOKEN})`,
      '',
      '  Sign in from the PromptOps view (or the command "PromptOps: Sign In") as:',
      ...DEMO_USERS.map((u) => `    ${u.username.padEnd(width)}  ${u.password.padEnd(18)}  ${u.story}`),
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
