import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuiltinRole } from '../../src/core/policy/actions';
import { BareRemote, git } from './bareRemote';
import { writeFiles, type CliResult } from './cli';
import { tempDir } from './serverBackends';
import { buildCli, spawnServe, type ServeProcess } from './serverProcess';

/**
 * One person at a terminal: their own config folder (so their own stored login) and the
 * CLI bundle under test. Each call is a real `node cli.js …` process.
 */
export class CliUser {
  readonly configHome = mkdtempSync(join(tmpdir(), 'promptops-config-'));

  constructor(
    readonly name: string,
    private readonly cli: string,
    private readonly cwd: string,
  ) {}

  run(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
    const r = spawnSync(process.execPath, [this.cli, ...args], {
      cwd: this.cwd,
      encoding: 'utf8',
      input: '',
      env: this.env(env),
    });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** The same as run, without blocking: for people acting at the same moment. */
  start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    const child = spawn(process.execPath, [this.cli, ...args], { cwd: this.cwd, env: this.env(env), stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.stdin.end();
    return new Promise((res) => child.on('close', (code) => res({ status: code ?? -1, stdout, stderr })));
  }

  private env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PROMPTOPS_SERVER: '',
      PROMPTOPS_USER: '',
      PROMPTOPS_ROLE: '',
      ...extra,
      XDG_CONFIG_HOME: this.configHome,
    };
  }

  /** Runs and requires exit 0; returns stdout. */
  ok(args: string[], env: NodeJS.ProcessEnv = {}): string {
    const r = this.run(args, env);
    if (r.status !== 0)
      throw new Error(`${this.name}: promptops ${args.join(' ')} → ${r.status}\n${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  json<T>(args: string[]): T {
    return JSON.parse(this.ok([...args, '--json'])) as T;
  }
}

/** The password a person the admin added signs in with (long enough for the server's rule). */
export const passwordOf = (name: string): string => `${name}-password-1`;

export interface ServedTeamOptions {
  /** Extra environment for `promptops serve` (e.g. the model endpoint). */
  serveEnv?: Record<string, string>;
  /** Prefix of the folder the remote, clones and terminals live in. */
  prefix?: string;
  /**
   * A shared remote whose first clone (`seed`, where the admin works) gets these files
   * committed and pushed; given the server's URL (for the access file's `server:`).
   * Without it (or `remote`) people work in an empty folder.
   */
  seedFiles?: (serverUrl: string) => Record<string, string>;
  /** The admin applies the seed's access file once it is pushed. */
  apply?: boolean;
  /**
   * A shared remote even without seedFiles: the seed clone starts empty, for a test that
   * sets the repository up itself (e.g. `init` before the first commit).
   */
  remote?: boolean;
  /** The seed clone's name, so its commits are by `<name>@example.com`; `seed` by default. */
  seedClone?: string;
}

/** How a person is added: where their terminal is, and the git email the admin records for them. */
export interface AddPersonOptions {
  /** Where they run the CLI: the seed by default. */
  cwd?: string;
  /** Recorded with `users add --email`: what `verify` maps their commits' author to. */
  email?: string;
}

/** The built-in admin's first password; everyone else's is passwordOf(name). */
const passwordFor = (name: string): string => (name === 'admin' ? 'admin' : passwordOf(name));

/**
 * `promptops serve` in a data folder of its own, its admin signed in at a terminal, and
 * the people the admin adds: the setup CLI-against-server tests share. `stop()` ends the
 * server and removes every folder it made.
 */
export class ServedTeam {
  readonly people: Record<string, CliUser> = {};
  readonly remote: BareRemote | undefined;
  /** Where the admin (and by default everyone) runs the CLI: the seed clone, or an empty folder. */
  readonly seed: string;

  private constructor(
    readonly serve: ServeProcess,
    readonly cli: string,
    private readonly dataDir: string,
    readonly top: string,
    options: ServedTeamOptions,
  ) {
    if (options.seedFiles || options.remote) {
      this.remote = new BareRemote(top);
      this.seed = this.remote.clone(options.seedClone ?? 'seed');
      if (options.seedFiles) {
        writeFiles(this.seed, options.seedFiles(serve.url));
        git(this.seed, 'add', '-A');
        git(this.seed, 'commit', '-qm', 'access file and prompts');
        git(this.seed, 'push', '-q', 'origin', 'main');
      }
    } else {
      this.seed = join(top, 'cwd');
      mkdirSync(this.seed);
    }
  }

  static async start(options: ServedTeamOptions = {}): Promise<ServedTeam> {
    const cli = await buildCli();
    const dataDir = tempDir();
    const top = tempDir(options.prefix ?? 'promptops-team-');
    const serve = await spawnServe(['--data-dir', dataDir], options.serveEnv);
    const team = new ServedTeam(serve, cli, dataDir, top, options);
    team.signIn('admin');
    if (options.apply) team.admin.ok(['apply']);
    return team;
  }

  get url(): string {
    return this.serve.url;
  }

  get admin(): CliUser {
    return this.people.admin;
  }

  /** Someone at a terminal in `cwd` (the seed by default), with their own config folder; not signed in. */
  person(name: string, cwd = this.seed): CliUser {
    this.people[name] = new CliUser(name, this.cli, cwd);
    return this.people[name];
  }

  /** The admin adds `name` with `role` and password passwordOf(name); they sign in at their terminal. */
  addPerson(name: string, role: BuiltinRole, options: AddPersonOptions = {}): CliUser {
    this.addUser(name, role, options.email);
    return this.signIn(name, options.cwd);
  }

  /** The admin adds `name` with `role` and password passwordOf(name), on the server only: nobody signs in yet. */
  addUser(name: string, role: BuiltinRole, email?: string): void {
    const withEmail = email === undefined ? [] : ['--email', email];
    this.admin.ok(['users', 'add', name, '--role', role, ...withEmail], { PROMPTOPS_NEW_PASSWORD: passwordOf(name) });
  }

  /**
   * `name` (already a user) signs in at a terminal of their own in `cwd`, with a config folder
   * of its own; `terminal` is its key in `people` (default the name), for one person at
   * several terminals.
   */
  signIn(name: string, cwd = this.seed, terminal = name): CliUser {
    const who = this.person(terminal, cwd);
    who.ok(['login', '--server', this.url, '--username', name], { PROMPTOPS_PASSWORD: passwordFor(name) });
    return who;
  }

  async stop(): Promise<void> {
    this.serve.child.kill('SIGTERM');
    await this.serve.exited;
    for (const dir of [this.top, this.dataDir, ...Object.values(this.people).map((p) => p.configHome)])
      rmSync(dir, { recursive: true, force: true });
  }
}
