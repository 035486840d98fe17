import ignore, { type Ignore } from 'ignore';

/**
 * `.gitignore` semantics over a tree: each folder's `.gitignore` applies to paths below it,
 * deeper files can re-include what a shallower one excluded, and `.git` is never walked.
 */
export class GitignoreRules {
  private readonly layers: { base: string; rules: Ignore }[] = [];

  private constructor(private readonly parent: GitignoreRules | undefined) {}

  static root(): GitignoreRules {
    return new GitignoreRules(undefined);
  }

  /** Rules for the folder `dir` given its `.gitignore` text (if any). */
  child(dir: string, gitignoreText: string | undefined): GitignoreRules {
    if (gitignoreText === undefined) return this;
    const next = new GitignoreRules(this);
    next.layers.push({ base: dir, rules: ignore().add(gitignoreText) });
    return next;
  }

  /** Whether `path` (a folder when `isDir`) is ignored. */
  ignores(path: string, isDir: boolean): boolean {
    if (path === '.git' || path.endsWith('/.git')) return true;
    let ignored = false;
    // Outermost first, so inner `!re-include` rules get the last word.
    const chain: GitignoreRules[] = [this];
    for (let g = this.parent; g; g = g.parent) chain.unshift(g);
    for (const g of chain) {
      for (const { base, rules } of g.layers) {
        const rel = base ? path.slice(base.length + 1) : path;
        const r = rules.test(isDir ? `${rel}/` : rel);
        if (r.ignored) ignored = true;
        else if (r.unignored) ignored = false;
      }
    }
    return ignored;
  }
}
