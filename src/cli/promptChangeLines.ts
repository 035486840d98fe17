import type { MessageChange, PromptChanges, TextRun } from '../core/review/promptChanges';

/** Word marks as `git diff --word-diff` writes them. */
const ADDED_OPEN = '{+';
const ADDED_CLOSE = '+}';
const REMOVED_OPEN = '[-';
const REMOVED_CLOSE = '-]';

/**
 * The prompt diff (core's `promptChanges`, the one the review panel shows) as terminal
 * lines: each changed field, then each added, removed or changed message with `-`/`+`
 * lines, the changed words of a changed message marked `[-…-]` / `{+…+}`.
 */
export function promptChangeLines(changes: PromptChanges): string[] {
  if (changes.rawDiff) return ['(a side is not a readable prompt; line by line)', ...rawLines(changes.rawDiff)];
  const lines: string[] = [];
  for (const f of changes.fields) {
    if (f.status !== 'same') lines.push(`${f.field}: ${f.before ?? '(none)'} → ${f.after ?? '(none)'}`);
  }
  for (const m of changes.messages) {
    if (m.status !== 'same') lines.push(...messageLines(m));
  }
  return lines.length ? lines : ['(no change to the prompt’s fields or messages)'];
}

function messageLines(m: MessageChange): string[] {
  const header = `message ${m.position} (${m.role}): ${m.status}`;
  const text = m.runs.map((r) => r.text).join('');
  if (m.status === 'added') return [header, ...prefixed('+ ', text)];
  if (m.status === 'removed') return [header, ...prefixed('- ', text)];
  return [header, ...changedLines(m.runs)];
}

function prefixed(prefix: string, text: string): string[] {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `    ${prefix}${l}`);
}

/**
 * Word runs as `-`/`+` line pairs. Lines are grouped where both sides end a line together
 * (a newline in kept text); a group without a change is an unchanged line, shown as `…`.
 */
function changedLines(runs: TextRun[]): string[] {
  const out: string[] = [];
  let before: string[] = [''];
  let after: string[] = [''];
  let changed = false;
  let skipped = false;
  const append = (side: string[], text: string) => {
    const parts = text.split('\n');
    side[side.length - 1] += parts[0];
    side.push(...parts.slice(1));
  };
  const flush = () => {
    if (!changed) skipped = true;
    else {
      if (skipped) out.push('      …');
      skipped = false;
      if (before.some((l) => l !== '')) out.push(...before.map((l) => `    - ${l}`));
      if (after.some((l) => l !== '')) out.push(...after.map((l) => `    + ${l}`));
    }
    [before, after, changed] = [[''], [''], false];
  };
  for (const run of runs) {
    if (run.kind === 'added') {
      append(after, marked(run.text, ADDED_OPEN, ADDED_CLOSE));
      changed = true;
    } else if (run.kind === 'removed') {
      append(before, marked(run.text, REMOVED_OPEN, REMOVED_CLOSE));
      changed = true;
    } else {
      const parts = run.text.split('\n');
      parts.forEach((part, i) => {
        if (i > 0) flush();
        before[before.length - 1] += part;
        after[after.length - 1] += part;
      });
    }
  }
  flush();
  if (skipped) out.push('      …');
  return out;
}

/** Marks each line of a changed piece separately, so no mark spans a line break. */
function marked(text: string, open: string, close: string): string {
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? l : `${open}${l}${close}`))
    .join('\n');
}

function rawLines(runs: TextRun[]): string[] {
  const sign = { added: '+ ', removed: '- ', same: '  ' } as const;
  return runs.flatMap((r) => prefixed(sign[r.kind], r.text));
}
