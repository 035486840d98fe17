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
 * Reads one answer as its output arrives, chunk by chunk (a chunk is never joined with what
 * came before, so a long answer costs no repeated copying): returns how many bytes of
 * `chunk` end the answer, or -1 when all of it belongs to the answer and more is to come.
 */
export type AnswerReader = (chunk: Buffer) => number;

/**
 * A git process that answers in turns (`cat-file --batch-command`): each question's answer
 * is read from stdout in the order the questions were written, so several callers may ask
 * at once (their questions are written whole, one after another).
 */
export interface GitConversation {
  /**
   * Writes `input`, then resolves with the next answer on stdout, which `reader` delimits
   * (a fresh reader per question; git must flush the answer: `flush` with `--buffer`).
   */
  ask(input: string, reader: AnswerReader): Promise<Buffer>;
  /** Writes `input`, closes stdin and resolves with the rest of stdout once git exits with 0. */
  finish(input: string): Promise<Buffer>;
}

/** An AnswerReader for an answer of `lines` lines. */
export function afterLines(lines: number): AnswerReader {
  let left = lines;
  return (chunk) => {
    for (let at = 0; ;) {
      const eol = chunk.indexOf(0x0a, at);
      if (eol < 0) return -1;
      at = eol + 1;
      if (--left === 0) return at;
    }
  };
}

export function converseWithGit(cwd: string, args: readonly string[]): GitConversation {
  const child = spawn('git', args, { cwd, env: gitEnvironment(), stdio: ['pipe', 'pipe', 'pipe'] });
  // Output no question has claimed yet (a rest for finish).
  const unclaimed: Buffer[] = [];
  const err: Buffer[] = [];
  let closed: GitCommandError | 'ok' | undefined;
  // The answers still to come, in the order their questions were written.
  const pending: {
    reader: AnswerReader;
    pieces: Buffer[];
    resolve: (b: Buffer) => void;
    reject: (e: Error) => void;
  }[] = [];
  let finished: { resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  const take = (chunk: Buffer) => {
    while (chunk.length > 0 && pending.length > 0) {
      const answer = pending[0];
      const end = answer.reader(chunk);
      if (end < 0) {
        answer.pieces.push(chunk);
        return;
      }
      answer.pieces.push(chunk.subarray(0, end));
      pending.shift();
      answer.resolve(answer.pieces.length === 1 ? answer.pieces[0] : Buffer.concat(answer.pieces));
      chunk = chunk.subarray(end);
    }
    if (chunk.length > 0) unclaimed.push(chunk);
  };
  const settle = () => {
    if (closed === undefined) return;
    const failure =
      closed instanceof GitCommandError ? closed : new GitCommandError(args, 0, 'git ended before it answered');
    for (const p of pending.splice(0)) p.reject(failure);
    if (finished) {
      if (closed === 'ok') finished.resolve(Buffer.concat(unclaimed));
      else finished.reject(closed);
      finished = undefined;
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const onEnd = (failure: GitCommandError | 'ok') => {
    closed ??= failure;
    settle();
  };
  child.on('error', (e) => onEnd(new GitCommandError(args, null, e.message)));
  child.on('close', (code) =>
    onEnd(code === 0 ? 'ok' : new GitCommandError(args, code, Buffer.concat(err).toString('utf8'))),
  );
  child.stdin.on('error', () => undefined);
  return {
    ask(input, reader) {
      const answer = new Promise<Buffer>((resolve, reject) => pending.push({ reader, pieces: [], resolve, reject }));
      if (closed === undefined) child.stdin.write(input);
      // Output that came before the question (none, as git answers only questions) is its first.
      if (pending.length === 1 && unclaimed.length > 0) take(Buffer.concat(unclaimed.splice(0)));
      settle();
      return answer;
    },
    finish(input) {
      const rest = new Promise<Buffer>((resolve, reject) => (finished = { resolve, reject }));
      if (closed === undefined) child.stdin.end(input);
      settle();
      return rest;
    },
  };
}
