/**
 * One ref's line from `git push --porcelain`: `<flag>\t<from>:<to>\t<summary>`. Flags:
 * ' ' fast-forward, '+' forced, '-' deleted, '*' new ref, '=' up to date, '!' rejected or
 * failed. The summary of a '!' line tells a stale tip (`[rejected] (non-fast-forward)`,
 * `(fetch first)`, `(stale info)`) from a refusal by the receiving side
 * (`[remote rejected] (<reason>)`: a hook, a protected branch). These lines are git's
 * machine-readable format, not translated messages.
 */
export interface PushedRef {
  flag: string;
  from: string;
  to: string;
  summary: string;
}

export function parsePushPorcelain(output: string): PushedRef[] {
  const refs: PushedRef[] = [];
  for (const line of output.split('\n')) {
    const match = /^([ +\-*=!])\t([^\t]*):([^\t]*)\t(.*)$/.exec(line);
    if (match) refs.push({ flag: match[1], from: match[2], to: match[3], summary: match[4] });
  }
  return refs;
}

export type PushRefStatus = 'pushed' | 'up-to-date' | 'stale' | 'remote-rejected' | 'rejected';

/** What a ref's porcelain line means for the caller. */
export function pushRefStatus(ref: PushedRef): PushRefStatus {
  if (ref.flag === '=') return 'up-to-date';
  if (ref.flag !== '!') return 'pushed';
  if (ref.summary.startsWith('[remote rejected]')) return 'remote-rejected';
  if (/^\[rejected\] \((non-fast-forward|fetch first|stale info|already exists)\)/.test(ref.summary)) return 'stale';
  return 'rejected';
}
