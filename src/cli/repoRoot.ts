import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAccessFile } from '../core/access';
import { ACCESS_FILE_PATH } from '../core/access/accessPolicy';

/** The nearest folder upwards from `start` holding the access file or a `.git`; undefined when none. */
export function findRepoRoot(start: string = process.cwd()): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, ACCESS_FILE_PATH)) || existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The `server:` of the repository's access file, when the file exists and parses. */
export function accessFileServer(start: string = process.cwd()): string | undefined {
  const root = findRepoRoot(start);
  if (!root) return undefined;
  try {
    return parseAccessFile(readFileSync(join(root, ACCESS_FILE_PATH), 'utf8')).policy?.server;
  } catch {
    return undefined;
  }
}
