import { spawn } from 'node:child_process';

/**
 * The one place PromptOps starts `git`. The locale is fixed (as VS Code's git extension
 * does) so nothing depends on translated messages: callers decide from exit codes and
 * porcelain / `-z` output, never from what git says to a person. Stdout stays bytes, so
 * blobs come back exactly as stored.
 */
export interface GitRun {
  /** Added to git's environment (hooks see it too), after the inherited one. */
  env?: Readonly<Record<string, string>>;
  /** Written to git's stdin. */
  input?: string;
  /** Exit codes that are answers rather than failures, e.g. 1 for `diff --quiet` ("differs"). */
  okExitCodes?: readonly number[];
}

export interface GitOutput {
  exitCode: number;
  stdout: Buffer;
}

/** git exited with a code the caller did not expect; `stderr` is for people, not for matching. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args[0]} failed (exit ${exitCode}): ${stderr.trim() || 'no message'}`);
    this.name = 'GitCommandError';
  }
}

/** The environment every git process gets: the caller's, then `extra`, then a fixed locale. */
export function gitEnvironment(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
  // gettext honours LANGUAGE over LC_ALL in some builds; unset, the C locale decides.
  delete env.LANGUAGE;
  return env;
}

/** What one finished git process left: its exit code (null when killed) and both outputs. */
export interface GitProcessResult {
  exitCode: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

/**
 * Starts one git process with `env` as its whole environment, writes `input` to its stdin and
 * collects what it prints; rejects only when it cannot start (e.g. ENOENT). `runGit` decides
 * what the exit code means.
 */
export type GitProcessStarter = (
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input: string,
) => Promise<GitProcessResult>;

/** On this thread: the CLI and server; the extension starts its processes from a worker (`startGitProcessesWith`). */
export const startGitHere: GitProcessStarter = (cwd, args, env, input) =>
  new Promise((resolvePromise, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolvePromise({ exitCode: code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }),
    );
    // git may exit before reading stdin (e.g. a bad argument); the close handler reports that.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });

let startGitProcess: GitProcessStarter = startGitHere;

/**
 * Where git processes start from now on. Starting a process blocks the calling thread for as
 * long as forking the process takes (tens of ms for the extension host, hundreds under load:
 * bench:activation), so the extension starts them from a worker thread.
 */
export function startGitProcessesWith(starter: GitProcessStarter): void {
  startGitProcess = starter;
}

export async function runGit(cwd: string, args: readonly string[], run: GitRun = {}): Promise<GitOutput> {
  const okExitCodes = run.okExitCodes ?? [0];
  const { exitCode, stdout, stderr } = await startGitProcess(cwd, args, gitEnvironment(run.env), run.input ?? '');
  if (exitCode !== null && okExitCodes.includes(exitCode)) return { exitCode, stdout };
  throw new GitCommandError(args, exitCode, stderr.toString('utf8'));
}

/** stdout as text (names, shas, `-z` lists); throws GitCommandError on any other exit code than 0. */
export async function gitText(cwd: string, args: readonly string[], run: GitRun = {}): Promise<string> {
  return (await runGit(cwd, args, run)).stdout.toString('utf8');
}

/**
 * A git process that answers in turns (`cat-file --batch-command`): what it prints for the
 * first input is read before the rest of the input is written.
 */
export interface GitConversation {
  /**
   * Writes `input`, then resolves with stdout up to the end of the `lines`-th line break
   * from where the last read stopped (git must flush that much: `flush` with `--buffer`).
   */
  ask(input: string, lines: number): Promise<Buffer>;
  /** Writes `input`, closes stdin and resolves with the rest of stdout once git exits with 0. */
  finish(input: string): Promise<Buffer>;
}

export function converseWithGit(cwd: string, args: readonly string[]): GitConversation {
  const child = spawn('git', args, { cwd, env: gitEnvironment(), stdio: ['pipe', 'pipe', 'pipe'] });
  // Chunks joined only when an answer is looked for: a blob of megabytes arrives in many.
  let chunks: Buffer[] = [];
  const joined = () => (chunks.length === 1 ? chunks[0] : (chunks = [Buffer.concat(chunks)])[0]);
  const err: Buffer[] = [];
  let closed: GitCommandError | 'ok' | undefined;
  let waiting: (() => void) | undefined;
  child.stdout.on('data', (c: Buffer) => {
    chunks.push(c);
    waiting?.();
  });
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const onEnd = (failure: GitCommandError | 'ok') => {
    closed ??= failure;
    waiting?.();
  };
  child.on('error', (e) => onEnd(new GitCommandError(args, null, e.message)));
  child.on('close', (code) =>
    onEnd(code === 0 ? 'ok' : new GitCommandError(args, code, Buffer.concat(err).toString('utf8'))),
  );
  child.stdin.on('error', () => undefined);
  const until = (ready: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (ready()) resolve();
        else if (closed instanceof GitCommandError) reject(closed);
        else if (closed === 'ok') reject(new GitCommandError(args, 0, 'git ended before it answered'));
        else return;
        waiting = undefined;
      };
      waiting = check;
      check();
    });
  return {
    async ask(input, lines) {
      child.stdin.write(input);
      let end = -1;
      await until(() => {
        const out = joined();
        for (let n = 0, at = 0; n < lines; n++, at = end + 1) if ((end = out.indexOf(0x0a, at)) < 0) return false;
        return true;
      });
      const out = joined();
      chunks = [out.subarray(end + 1)];
      return out.subarray(0, end + 1);
    },
    async finish(input) {
      child.stdin.end(input);
      await until(() => closed === 'ok');
      return joined();
    },
  };
}
