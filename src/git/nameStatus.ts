import type { ChangeStatus, FileChange } from './gitRepository';

/** git's mode for a symbolic link: its blob is the link's target, which PromptOps never follows. */
export const SYMLINK_MODE = '120000';

/**
 * Parses `git diff --raw -z` (and diff-tree's): a NUL-terminated header
 * `:<old mode> <new mode> <old id> <new id> <status>`, then the path, or old and new path
 * for renames and copies. -z output is never quoted, so any file name survives.
 */
export function parseRawDiffZ(output: string): FileChange[] {
  const tokens = output.split('\0');
  const changes: FileChange[] = [];
  for (let i = 0; i < tokens.length;) {
    if (tokens[i] === '') i++;
    else i = parseRawEntry(tokens, i, changes);
  }
  return changes;
}

/**
 * One `:<modes> <ids> <status>` entry with its path(s) from tokens[i]; returns the index after
 * it. With `withIds`, the change keeps the blob ids (full ids: `--no-abbrev`) of the sides that exist.
 */
export function parseRawEntry(tokens: readonly string[], i: number, changes: FileChange[], withIds = false): number {
  const header = tokens[i++];
  const fields = header.split(' ');
  const code = fields[4];
  if (!header.startsWith(':') || code === undefined)
    throw new Error(`unexpected git diff --raw header ${JSON.stringify(header.slice(0, 80))}`);
  const symlink = fields[1] === SYMLINK_MODE ? { symlink: true as const } : {};
  const letter = code[0];
  const ids = withIds ? blobIds(fields[2], fields[3]) : {};
  if (letter === 'R' || letter === 'C') {
    const oldPath = tokens[i++];
    const path = tokens[i++];
    if (!path || !oldPath) throw new Error(`git diff --raw output ended inside a ${letter} entry`);
    changes.push(
      letter === 'R'
        ? { status: 'R', path, oldPath, ...symlink, ...ids }
        : { status: 'A', path, ...symlink, ...(ids.newId ? { newId: ids.newId } : {}) },
    );
    return i;
  }
  const path = tokens[i++];
  if (!path) throw new Error(`git diff --raw output ended after status ${JSON.stringify(code)}`);
  changes.push({ status: statusOf(letter, code), path, ...symlink, ...ids });
  return i;
}

/** A side that does not exist is all zeros in a raw diff. */
function blobIds(oldId: string, newId: string): { oldId?: string; newId?: string } {
  const exists = (id: string) => /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(id) && !/^0+$/.test(id);
  return { ...(exists(oldId) ? { oldId } : {}), ...(exists(newId) ? { newId } : {}) };
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
