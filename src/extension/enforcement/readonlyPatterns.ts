import { runToEnd, type Steps } from '../../core/steps';
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
  return runToEnd(readonlyPatternsInSteps(root, prompts, locked));
}

/** Paths handled between two pauses: 10,000 prompts are 20–65 ms of one turn under load (bench:activation). */
const STEP = 500;

/** `readonlyPatterns` with a pause every STEP paths, for the extension host (`TimeSlices`). */
export function* readonlyPatternsInSteps(
  root: string,
  prompts: Iterable<string>,
  locked: ReadonlySet<string>,
): Steps<string[]> {
  // Counted per folder, then summed up the tree once per folder: per file and ancestor,
  // 10,000 prompts cost ~60 ms of one event-loop turn in the extension host (bench:activation).
  const perFolder = new Map<string, { total: number; locked: string[] }>();
  const isPrompt = new Set<string>();
  let n = 0;
  for (const path of prompts) {
    isPrompt.add(path);
    const folder = folderOf(path);
    let counts = perFolder.get(folder);
    if (!counts) perFolder.set(folder, (counts = { total: 0, locked: [] }));
    counts.total++;
    if (locked.has(path)) counts.locked.push(path);
    if (++n % STEP === 0) yield;
  }
  const total = new Map<string, number>();
  const lockedCount = new Map<string, number>();
  for (const [folder, counts] of perFolder) {
    forEachFolderUp(folder, (dir) => {
      total.set(dir, (total.get(dir) ?? 0) + counts.total);
      lockedCount.set(dir, (lockedCount.get(dir) ?? 0) + counts.locked.length);
    });
    if (++n % STEP === 0) yield;
  }
  const fullyLocked = (dir: string) => {
    const n = total.get(dir) ?? 0;
    return n >= COLLAPSE_MIN_PROMPTS && lockedCount.get(dir) === n;
  };
  const out = new Set<string>();
  const suffix = `/**/*.{${PROMPT_EXTENSIONS.join(',')}}`;
  for (const path of locked) {
    if (!isPrompt.has(path)) out.add(escapeGlobPath(`${root}/${path}`));
    if (++n % STEP === 0) yield;
  }
  // Files of one folder share the answer: the topmost fully locked ancestor of the folder.
  for (const [folder, counts] of perFolder) {
    if (counts.locked.length === 0) continue;
    let dir: string | undefined;
    forEachFolderUp(folder, (d) => {
      dir ??= fullyLocked(d) ? d : undefined;
    });
    if (dir === undefined) for (const path of counts.locked) out.add(escapeGlobPath(`${root}/${path}`));
    else out.add(`${escapeGlobPath(dir ? `${root}/${dir}` : root)}${suffix}`);
    n += counts.locked.length;
    if (n >= STEP) {
      n = 0;
      yield;
    }
  }
  return [...out].sort();
}

/** `a/b/c.prompt` → 'a/b'; a file at the root → ''. */
function folderOf(path: string): string {
  return path.slice(0, Math.max(0, path.lastIndexOf('/')));
}

/** '' (the root), then each folder down to `folder` itself: 'a/b' → '', 'a', 'a/b'. */
function forEachFolderUp(folder: string, visit: (dir: string) => void): void {
  visit('');
  if (folder === '') return;
  for (let i = folder.indexOf('/'); i >= 0; i = folder.indexOf('/', i + 1)) visit(folder.slice(0, i));
  visit(folder);
}
