/**
 * The demo's whole setup as one function, used by `npm run demo` (demo/runDemo.ts) and by
 * the browser end-to-end suite (test/e2e), so both run exactly the same thing: build the
 * `.vsix`, start the server on its embedded SQLite default, create the sample users,
 * prepare the sample prompt repository (a git repo, kept between runs so your work
 * survives), apply its access file, and start VS Code (code-server) with the extension
 * installed from the `.vsix`.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PromptOpsClient } from '../src/client/promptOpsClient';
import { startCodeServer, type RunningCodeServer } from '../test/vscode/codeServerProcess';
import { ensureCodeServer, type CodeServerInstall } from '../test/vscode/installCodeServer';
import { pullDirectory } from '../src/cli/commands/directory';
import { pinServer } from '../src/core/access/accessFileTemplate';
import { openGitRepository } from '../src/git';
import { signCommitsWith } from '../src/git/commitSigningSetup';
import { TEAM_SIGNING_KEYS_SETTING } from '../src/workflows/teamSigningKey';
import { DEMO_USERS } from './demoUsers';
import { demoSigningKeys, registerDemoSigningKeys, type DemoSigningKeys } from './demoSigningKeys';

export const ROOT = resolve(__dirname, '..');
export { DEMO_USERS };

export interface DemoOptions {
  /** Folder for the server's data, the repository and code-server's state; default `.promptops-demo`. */
  stateDir?: string;
  /**
   * Preferred ports; when one is taken, or 0, the process binds one the system picks and
   * says which (the URLs in RunningDemo).
   */
  serverPort?: number;
  vscodePort?: number;
  /** The server's static admin token. */
  token?: string;
  /** Extra VS Code user settings (the tests turn off the git-hook offer, for instance). */
  settings?: Record<string, unknown>;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Give the sample team signing keys and require signed commits (default true; see prepareDemo). */
  signCommits?: boolean;
}

export interface RunningDemo {
  serverUrl: string;
  /** The URL a person opens: the workbench on the sample repository. */
  vscodeUrl: string;
  repo: string;
  stateDir: string;
  token: string;
  /** `admin`'s password when it still is the default, else undefined. */
  adminPassword: string | undefined;
  /** Whether the sample team's commits are signed (each has a key in `<stateDir>/keys`). */
  signed: boolean;
  install: CodeServerInstall;
  /** Stops code-server and the server (waits for the server to exit). */
  stop(): Promise<void>;
}

/**
 * `promptops serve` on `preferredPort`, or on a port the system picks when that one is
 * taken (or 0 is asked for). The server binds and prints its own URL, so no port is
 * picked here and handed over for another process to take in between.
 */
export async function startDemoServer(
  stateDir: string,
  preferredPort: number,
  token: string,
): Promise<{ url: string; child: ChildProcess }> {
  const started = await spawnDemoServer(stateDir, preferredPort, token);
  if (started.kind === 'listening') return started;
  const again = preferredPort === 0 ? started : await spawnDemoServer(stateDir, 0, token);
  if (again.kind === 'listening') return again;
  throw new Error(`the server ${again.why}; see ${join(stateDir, 'server.log')}`);
}

type DemoServerStart = { kind: 'listening'; url: string; child: ChildProcess } | { kind: 'failed'; why: string };

/** Starts serve and waits for its "listening on <url>" line; its output goes on to server.log. */
function spawnDemoServer(stateDir: string, port: number, token: string): Promise<DemoServerStart> {
  const log = openSync(join(stateDir, 'server.log'), 'a');
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist/cli.js'), 'serve', '--port', String(port), '--data-dir', join(stateDir, 'server')],
    { stdio: ['ignore', log, 'pipe'], env: { ...process.env, PROMPTOPS_TOKEN: token } },
  );
  return new Promise((done) => {
    let banner = '';
    let listening = false;
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      done({ kind: 'failed', why: 'did not start within 10 s' });
    }, 10_000);
    // Read for as long as the server runs, so a full pipe never blocks it.
    child.stderr!.on('data', (chunk: Buffer) => {
      writeSync(log, chunk);
      if (listening) return;
      banner += chunk.toString('utf8');
      const url = /listening on (http:\/\/\S+)/.exec(banner)?.[1];
      if (url) {
        listening = true;
        clearTimeout(timer);
        done({ kind: 'listening', url, child });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ kind: 'failed', why: `exited (${code})` });
    });
  });
}

async function createUsers(client: PromptOpsClient): Promise<void> {
  const existing = new Set((await client.listUsers()).map((u) => u.username));
  for (const u of DEMO_USERS) {
    if (!existing.has(u.username))
      await client.createUser({
        username: u.username,
        password: u.password,
        role: u.role,
        emails: [`${u.username}@example.com`],
      });
  }
}

/** The tag the demo's setup commit carries: `promptops verify --base promptops-demo-base` judges everything since. */
export const DEMO_BASE_TAG = 'promptops-demo-base';

/**
 * The sample repository, made once; later runs point it at this run's server. With signing
 * keys the access file requires signed commits, the server's key is pinned, the signed user
 * directory (with everyone's keys) is committed, and git signs this clone's commits: as
 * admin until someone signs in to PromptOps, then as them (`promptops.teamSigningKeys`).
 * The demo's own commits are admin's, signed with admin's key.
 */
async function prepareRepository(
  repo: string,
  admin: PromptOpsClient,
  keys: DemoSigningKeys | undefined,
  keysChanged: boolean,
  log: (line: string) => void,
): Promise<void> {
  const access = join(repo, '.promptops', 'access.yaml');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  const fresh = !existsSync(access);
  if (fresh) {
    cpSync(join(ROOT, 'demo', 'sample-repo'), repo, { recursive: true });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'PromptOps Demo');
    git('config', 'user.email', 'admin@example.com');
  }
  const adminKey = keys?.get('admin');
  const gitRepo = await openGitRepository(repo);
  if (keys && adminKey) {
    await gitRepo.setLocalConfig(TEAM_SIGNING_KEYS_SETTING, dirname(adminKey));
    // Admin's key until someone signs in; a key of the clone's own (a later sign-in's) is kept.
    // Only this clone's setting counts: one in ~/.gitconfig is the person's own, unregistered here.
    const local = spawnSync('git', ['config', '--local', '--get', 'user.signingkey'], { cwd: repo });
    if (local.status !== 0) await signCommitsWith(gitRepo, adminKey);
  }
  const before = readFileSync(access, 'utf8');
  let after = before.replace(/^server: .*$/m, `server: ${admin.server}`);
  if (fresh && !keys) after = after.replace(/^requireSignedCommits: .*\n/m, '');
  const pinned = pinServer(after, admin.server, (await admin.publicKey()).spkiBase64);
  if (pinned.kind === 'refused')
    throw new Error(`${pinned.message} (the demo server's data was replaced: delete ${dirname(repo)} to start over)`);
  after = pinned.text;
  if (after !== before) writeFileSync(access, after);
  if (fresh || keysChanged) await pullDirectory(admin, repo);
  if (fresh || after !== before || keysChanged) {
    git('add', '-A');
    git(
      ...(adminKey ? ['-c', `user.signingkey=${adminKey}`, '-c', 'commit.gpgsign=true'] : []),
      'commit',
      '-q',
      '--no-verify',
      '-m',
      fresh ? 'Sample prompts and access file' : 'Point the access file at the demo server',
    );
  }
  // A repository from an older demo gets the tag at its setup commit of this run.
  const tagged = spawnSync('git', ['rev-parse', '-q', '--verify', `refs/tags/${DEMO_BASE_TAG}`], { cwd: repo });
  if (tagged.status !== 0) git('tag', DEMO_BASE_TAG);
  if (fresh && !keys) log('the sample repository does not require signed commits (no signing keys)');
}

export interface PreparedDemo {
  repo: string;
  /** `admin`'s password is still the default. */
  adminHasDefaultPassword: boolean;
  /** Whether the sample team signs its commits (false when ssh-keygen was missing). */
  signed: boolean;
}

/**
 * Everything but the processes, against a running server: the sample users and their
 * signing keys, the sample repository, and its access file applied. Safe to run again.
 */
export async function prepareDemo(
  stateDir: string,
  serverUrl: string,
  token: string,
  log: (line: string) => void = () => {},
  signCommits = true,
): Promise<PreparedDemo> {
  const repo = join(stateDir, 'repo');
  const admin = new PromptOpsClient({ server: serverUrl, token });
  log('creating the sample users…');
  await createUsers(admin);
  // Asked, not tried: a failed login would count towards admin's login throttle.
  const adminHasDefaultPassword = ((await admin.me()).warnings ?? []).some((w) => w.code === 'default-admin-password');
  if (signCommits) log('giving each an SSH signing key…');
  const keys = !signCommits
    ? undefined
    : demoSigningKeys(join(stateDir, 'keys'), ['admin', ...DEMO_USERS.map((u) => u.username)], log);
  const keysChanged = keys ? await registerDemoSigningKeys(admin, keys) : false;
  log(`preparing the sample repository (${repo})…`);
  await prepareRepository(repo, admin, keys, keysChanged, log);
  // The demo repository has no remote: its last commit is what `promptops apply` would read.
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  await admin.applyPolicy(
    execFileSync('git', ['show', `${head}:.promptops/access.yaml`], { cwd: repo, encoding: 'utf8' }),
    head,
  );
  return { repo, adminHasDefaultPassword, signed: keys !== undefined };
}

async function waitForExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((res) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      res();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      res();
    });
  });
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const log = options.log ?? (() => {});
  const stateDir = resolve(options.stateDir ?? join(ROOT, '.promptops-demo'));
  const repo = join(stateDir, 'repo');
  const token = options.token ?? 'promptops-dev-token';
  mkdirSync(stateDir, { recursive: true });

  log('building the extension package (npm run package)…');
  execFileSync('npm', ['run', '-s', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const vsix = join(ROOT, 'promptops.vsix');

  log(`starting the server (SQLite in ${join(stateDir, 'server')})…`);
  const server = await startDemoServer(stateDir, options.serverPort ?? 4700, token);
  let codeServer: RunningCodeServer | undefined;
  const stop = async () => {
    codeServer?.stop();
    server.child.kill('SIGTERM');
    await waitForExit(server.child, 5000);
  };
  try {
    const { adminHasDefaultPassword, signed } = await prepareDemo(
      stateDir,
      server.url,
      token,
      log,
      options.signCommits,
    );

    log('starting VS Code in the browser (code-server; the first run installs it, a few minutes)…');
    const install = ensureCodeServer();
    codeServer = await startCodeServer({
      install,
      folder: repo,
      installVsix: [vsix],
      settings: { 'promptops.serverUrl': server.url, 'git.enabled': true, ...options.settings },
      stateDir: join(stateDir, 'code-server'),
      port: options.vscodePort ?? 8080,
    });
    return {
      serverUrl: server.url,
      vscodeUrl: `${codeServer.url}/?folder=${encodeURIComponent(repo)}`,
      repo,
      stateDir,
      token,
      adminPassword: adminHasDefaultPassword ? 'admin' : undefined,
      signed,
      install,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
