import { escapeGlobPath } from './readonlyIncludeMerge';

/** The prompt file extensions the index reads (core/prompts/promptFormat.ts). */
export const PROMPT_EXTENSIONS = ['prompt', 'prompt.yml', 'prompt.yaml', 'prompty', 'prompt.md'] as const;

/** Folders with fewer prompts than this keep exact paths: a pattern saves nothing there. */
export const COLLAPSE_MIN_PROMPTS = 8;

/**
 * The `files.readonlyInclude` keys for a set of locked files: exact absolute paths (glob
 * characters escaped), except that a folder whose every indexed prompt is locked becomes
 * one pattern for the prompt files under it. Writing 10,000 keys into the user's settings
 * takes VS Code about 10 s (bench:activation), while a repository's locked prompts usually
 * fall into a handful of folders (a workspace's prod prompts, a protected tree).
 * A prompt added later under such a folder is read-only until the index sees it
 * (a fraction of a second), then the folder is split back into exact paths.
 *
 * @param root absolute path of the repository, forward slashes, no trailing slash
 * @param prompts every indexed prompt, repo-relative
 * @param locked the repo-relative paths to make read-only (prompts and other protected files)
 */
export function readonlyPatterns(root: string, prompts: Iterable<string>, locked: ReadonlySet<string>): string[] {
  const total = new Map<string, number>();
  const lockedCount = new Map<string, number>();
  const isPrompt = new Set<string>();
  for (const path of prompts) {
    isPrompt.add(path);
    const isLocked = locked.has(path);
    forEachAncestor(path, (dir) => {
      total.set(dir, (total.get(dir) ?? 0) + 1);
      if (isLocked) lockedCount.set(dir, (lockedCount.get(dir) ?? 0) + 1);
    });
  }
  const fullyLocked = (dir: string) => {
    const n = total.get(dir) ?? 0;
    return n >= COLLAPSE_MIN_PROMPTS && lockedCount.get(dir) === n;
  };
  const out = new Set<string>();
  const suffix = `/**/*.{${PROMPT_EXTENSIONS.join(',')}}`;
  // Files of one folder share the answer: the topmost fully locked ancestor of the folder.
  const topmostByFolder = new Map<string, string | null>();
  for (const path of locked) {
    let dir: string | null = null;
    if (isPrompt.has(path)) {
      const folder = path.slice(0, Math.max(0, path.lastIndexOf('/')));
      const known = topmostByFolder.get(folder);
      if (known !== undefined) dir = known;
      else {
        forEachAncestor(path, (d) => {
          if (dir === null && fullyLocked(d)) dir = d;
        });
        topmostByFolder.set(folder, dir);
      }
    }
    if (dir === null) out.add(escapeGlobPath(`${root}/${path}`));
    else out.add(`${escapeGlobPath(dir ? `${root}/${dir}` : root)}${suffix}`);
  }
  return [...out].sort();
}

/** '' (the root), then each folder down to the file's own: `a/b/c.prompt` → '', 'a', 'a/b'. */
function forEachAncestor(path: string, visit: (dir: string) => void): void {
  visit('');
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) visit(path.slice(0, i));
}
