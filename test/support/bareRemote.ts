import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs git in `cwd` and returns its stdout; throws with git's stderr when it fails. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe' });
}

/**
 * A team's shared remote: a bare repository in `top` (default branch `main`) and a clone
 * of it per person, each with their own name and `<name>@example.com`, as several people
 * on several machines would have.
 */
export class BareRemote {
  readonly path: string;

  constructor(
    readonly top: string,
    name = 'remote.git',
  ) {
    this.path = join(top, name);
    git(top, 'init', '-q', '--bare', '-b', 'main', this.path);
  }

  /** The URL clones use: `file://`, so git talks to it as to any remote (no hard links). */
  get url(): string {
    return `file://${this.path}`;
  }

  /** A clone in `top/<name>` whose commits are by `name`; `extra` goes to `git clone`. */
  clone(name: string, ...extra: string[]): string {
    const dir = join(this.top, name);
    git(this.top, 'clone', '-q', ...extra, this.url, dir);
    git(dir, 'config', 'user.email', `${name}@example.com`);
    git(dir, 'config', 'user.name', name);
    return dir;
  }

  /** `git` run in the bare repository itself (e.g. `show main:<path>`). */
  git(...args: string[]): string {
    return git(this.path, ...args);
  }
}
