import type { ChangeStatus, FileChange } from './gitRepository';

/**
 * Parses `git diff --name-status -z` (and diff-tree's): NUL-separated status then path,
 * or status, old path, new path for renames and copies. -z output is never quoted, so any
 * file name survives.
 */
export function parseNameStatusZ(output: string): FileChange[] {
  const tokens = output.split('\0');
  const changes: FileChange[] = [];
  for (let i = 0; i < tokens.length;) {
    const code = tokens[i++];
    if (code === '' || code === undefined) continue;
    const letter = code[0];
    if (letter === 'R' || letter === 'C') {
      const oldPath = tokens[i++];
      const path = tokens[i++];
      if (!path || !oldPath) throw new Error(`git name-status output ended inside a ${letter} entry`);
      changes.push(letter === 'R' ? { status: 'R', path, oldPath } : { status: 'A', path });
      continue;
    }
    const path = tokens[i++];
    if (!path) throw new Error(`git name-status output ended after status ${JSON.stringify(code)}`);
    changes.push({ status: statusOf(letter, code), path });
  }
  return changes;
}

function statusOf(letter: string, code: string): ChangeStatus {
  switch (letter) {
    case 'A':
    case 'D':
    case 'M':
      return letter;
    case 'T': // file ↔ symlink: the content changed
    case 'U': // unmerged: whatever is staged will change the file
      return 'M';
    default:
      throw new Error(`unexpected git status ${JSON.stringify(code)}`);
  }
}

/** Paths listed by `git ls-files -z` (untracked files become additions). */
export function parseNulList(output: string): string[] {
  return output.split('\0').filter((p) => p !== '');
}
