import type { CommitInfo } from './gitRepository';

/** The `git log --format` that parseCommitLog reads: fields split by US, records by RS. */
export const COMMIT_LOG_FORMAT = '%H%x1f%P%x1f%ae%x1f%an%x1f%s%x1e';

export function parseCommitLog(output: string): CommitInfo[] {
  return output
    .split('\x1e')
    .map((r) => r.replace(/^\n/, ''))
    .filter((r) => r.trim() !== '')
    .map((record) => {
      const [sha, parents, authorEmail, authorName, subject] = record.split('\x1f');
      if (!/^[0-9a-f]{40,64}$/.test(sha ?? '') || subject === undefined)
        throw new Error(`unexpected git log record ${JSON.stringify(record.slice(0, 80))}`);
      return { sha, parents: parents ? parents.split(' ') : [], authorEmail, authorName, subject };
    });
}
