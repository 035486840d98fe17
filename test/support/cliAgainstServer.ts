import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliResult } from './cli';

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
