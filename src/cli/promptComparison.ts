import { diffLines } from 'diff';
import { parsePromptFile, type PromptModel } from '../core/prompts';

/**
 * What changed between two versions of a prompt, field by field and message by message,
 * as lines for a terminal: `name`, `model`, `description`, `workspace`, `env`, each
 * parameter, then each message by position with a line diff of its text.
 */
export function comparePrompts(path: string, before: string | null, after: string): string[] {
  const next = modelOf(path, after);
  if (!next) return ['(the proposed content does not parse as a prompt)'];
  const prev = before === null ? undefined : modelOf(path, before);
  if (before !== null && !prev)
    return ['(the base content does not parse as a prompt; showing the proposed text)', ...indent(after)];
  const base: PromptModel = prev ?? { name: '', parameters: {}, messages: [], variables: [], metadata: {} };
  const lines: string[] = [];
  const field = (label: string, a: unknown, b: unknown): void => {
    const [x, y] = [show(a), show(b)];
    if (x !== y) lines.push(`${label}: ${x} → ${y}`);
  };
  field('name', prev?.name, next.name);
  field('model', base.model, next.model);
  field('description', base.description, next.description);
  field('workspace', base.workspace, next.workspace);
  field('env', base.env, next.env);
  for (const key of [...new Set([...Object.keys(base.parameters), ...Object.keys(next.parameters)])].sort()) {
    field(`parameters.${key}`, base.parameters[key], next.parameters[key]);
  }
  const count = Math.max(base.messages.length, next.messages.length);
  for (let i = 0; i < count; i++) {
    const a = base.messages[i];
    const b = next.messages[i];
    if (a && b && a.role === b.role && a.content === b.content) continue;
    if (!b) {
      lines.push(`messages[${i}] (${a.role}): removed`, ...indent(a.content, '- '));
    } else if (!a) {
      lines.push(`messages[${i}] (${b.role}): added`, ...indent(b.content, '+ '));
    } else {
      lines.push(a.role === b.role ? `messages[${i}] (${b.role}):` : `messages[${i}]: role ${a.role} → ${b.role}`);
      lines.push(...lineDiff(a.content, b.content));
    }
  }
  return lines.length ? lines : ['(no change to the prompt’s fields or messages)'];
}

function modelOf(path: string, text: string): PromptModel | undefined {
  return parsePromptFile(path, text).prompt?.model;
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

function indent(text: string, prefix = '  '): string[] {
  return text.split('\n').map((l) => `    ${prefix}${l}`);
}

/** Changed lines with a little unchanged context around them. */
function lineDiff(before: string, after: string): string[] {
  const out: string[] = [];
  for (const part of diffLines(ensureEol(before), ensureEol(after))) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (part.added) out.push(...lines.map((l) => `    + ${l}`));
    else if (part.removed) out.push(...lines.map((l) => `    - ${l}`));
    else if (lines.length <= 2) out.push(...lines.map((l) => `      ${l}`));
    else out.push(`      ${lines[0]}`, '      …', `      ${lines[lines.length - 1]}`);
  }
  return out;
}

const ensureEol = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);
