import { SYMLINK_MODE } from './nameStatus';

/**
 * Blob ids by path, from `git ls-tree -r -z <rev>` (`<mode> <type> <id>\t<path>`) or
 * `git ls-files -s -z` (`<mode> <id> <stage>\t<path>`, stage 0 only: the merged entry).
 * Asking `git cat-file --batch` for ids is some fifty times faster than for `rev:path`
 * names, which git resolves one tree walk at a time.
 */
export function parseLsTreeZ(output: string): Map<string, string> {
  const blobs = new Map<string, string>();
  for (const entry of output.split('\0')) {
    if (entry === '') continue;
    const tab = entry.indexOf('\t');
    const [, type, id] = entry.slice(0, tab).split(' ');
    if (tab < 0 || id === undefined)
      throw new Error(`unexpected git ls-tree entry ${JSON.stringify(entry.slice(0, 80))}`);
    if (type === 'blob') blobs.set(entry.slice(tab + 1), id);
  }
  return blobs;
}

export function parseLsFilesStageZ(output: string): Map<string, string> {
  const blobs = new Map<string, string>();
  for (const entry of output.split('\0')) {
    if (entry === '') continue;
    const tab = entry.indexOf('\t');
    const [, id, stage] = entry.slice(0, tab).split(' ');
    if (tab < 0 || stage === undefined)
      throw new Error(`unexpected git ls-files entry ${JSON.stringify(entry.slice(0, 80))}`);
    if (stage === '0') blobs.set(entry.slice(tab + 1), id);
  }
  return blobs;
}

/** Paths of symbolic links (mode 120000) in `git ls-tree -r -z` output. */
export function parseLsTreeSymlinksZ(output: string): string[] {
  const links: string[] = [];
  for (const entry of output.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab > 0 && entry.startsWith(`${SYMLINK_MODE} `)) links.push(entry.slice(tab + 1));
  }
  return links;
}
