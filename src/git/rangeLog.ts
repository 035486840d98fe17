import type { CommitInfo, FileChange } from './gitRepository';
import { parseRawEntry } from './nameStatus';

/**
 * `git log` arguments that list a range's commits with each one's changes, oldest first,
 * in one process: a raw diff per commit and parent (`--diff-merges=separate`, whatever
 * `log.diffMerges` says), renames found as diff-tree -M finds them, a root commit against
 * nothing. Fields are NUL-separated: no author name, email or subject can hold a NUL.
 */
export const RANGE_LOG_ARGS = [
  'log',
  '--reverse',
  '--diff-merges=separate',
  '--root',
  '--raw',
  '-r',
  '-z',
  '-M',
  '--no-abbrev',
  '--no-relative',
  '--no-color',
  '--no-show-signature',
  '--format=%H%x00%P%x00%ae%x00%an%x00%s',
] as const;

/** One commit of the range with its diff against each parent git printed one for (see parseRangeLogZ). */
export interface RangeLogCommit extends CommitInfo {
  /** One list of changes per non-empty diff, in parent order; a commit with no change has one empty list. */
  diffs: FileChange[][];
}

/**
 * Parses RANGE_LOG_ARGS output: per commit `sha NUL parents NUL email NUL name NUL subject NUL`,
 * then (when the diff is not empty) `\n` and raw `-z` entries. With separate merge diffs git
 * repeats the header for each parent whose diff is not empty, so a merge has as many
 * sections as parents only when it differs from every parent.
 */
export function parseRangeLogZ(output: string): RangeLogCommit[] {
  const tokens = output.split('\0');
  const commits: RangeLogCommit[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (tokens[i] === '' && i === tokens.length - 1) break;
    const [sha, parents, authorEmail, authorName, subject] = tokens.slice(i, i + 5);
    if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(sha) || subject === undefined || !/^[0-9a-f ]*$/.test(parents))
      throw new Error(
        `unexpected git log record ${JSON.stringify(
          tokens
            .slice(i, i + 5)
            .join(' ')
            .slice(0, 80),
        )}`,
      );
    i += 5;
    const changes: FileChange[] = [];
    if (tokens[i]?.startsWith('\n:')) {
      tokens[i] = tokens[i].slice(1);
      while (tokens[i]?.startsWith(':')) i = parseRawEntry(tokens, i, changes, true);
    }
    const last = commits[commits.length - 1];
    if (last?.sha === sha && last.diffs.length < Math.max(1, last.parents.length)) last.diffs.push(changes);
    else
      commits.push({
        sha,
        parents: parents ? parents.split(' ') : [],
        authorEmail,
        authorName,
        subject,
        diffs: [changes],
      });
  }
  return commits;
}
