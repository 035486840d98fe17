import { diffArrays, diffLines, diffWordsWithSpace } from 'diff';
import { parsePromptFile } from '../../core/prompts/parsePromptFile';
import type { PromptModel } from '../../core/prompts/promptModel';
import type { FieldChange, MessageChange, TextRun } from '../../shared/webviewProtocol';

export interface PromptChanges {
  fields: FieldChange[];
  messages: MessageChange[];
  /** Set when either side is not a readable prompt. */
  rawDiff?: TextRun[];
}

function runs(before: string, after: string): TextRun[] {
  return diffWordsWithSpace(before, after).map((c) => ({
    text: c.value,
    kind: c.added ? 'added' : c.removed ? 'removed' : 'same',
  }));
}

function show(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function fieldsOf(model: PromptModel | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!model) return out;
  const put = (k: string, v: unknown) => {
    const s = show(v);
    if (s !== undefined) out.set(k, s);
  };
  put('name', model.name);
  put('description', model.description);
  put('model', model.model);
  for (const [k, v] of Object.entries(model.parameters)) put(`parameters.${k}`, v);
  put('workspace', model.workspace);
  put('env', model.env);
  return out;
}

/**
 * The change from the published version (`base`, undefined when nothing is published) to
 * the proposed one, as a reviewer reads it: field by field (model, each parameter, …)
 * and message by message (aligned by role and text, so an inserted message shows as one
 * addition rather than shifting every message after it), each with word-level runs.
 */
export function promptChanges(path: string, base: string | undefined, head: string): PromptChanges {
  const baseModel = base === undefined ? undefined : parsePromptFile(path, base).prompt?.model;
  const headModel = parsePromptFile(path, head).prompt?.model;
  if (!headModel || (base !== undefined && !baseModel)) {
    return {
      fields: [],
      messages: [],
      rawDiff: diffLines(base ?? '', head).map((c) => ({
        text: c.value,
        kind: c.added ? 'added' : c.removed ? 'removed' : 'same',
      })),
    };
  }
  const before = fieldsOf(baseModel);
  const after = fieldsOf(headModel);
  const fields: FieldChange[] = [];
  for (const field of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(field);
    const a = after.get(field);
    const status = b === a ? 'same' : b === undefined ? 'added' : a === undefined ? 'removed' : 'changed';
    fields.push({ field, before: b, after: a, status });
  }

  const baseMessages = baseModel?.messages ?? [];
  const headMessages = headModel.messages;
  const key = (m: { role: string; content: string }) => `${m.role}\u0000${m.content}`;
  const aligned = diffArrays(baseMessages.map(key), headMessages.map(key));
  const messages: MessageChange[] = [];
  let bi = 0;
  let hi = 0;
  for (let i = 0; i < aligned.length; i++) {
    const part = aligned[i];
    const next = aligned[i + 1];
    if (part.removed && next?.added) {
      // A removed run followed by an added run: pair them up as changed messages.
      const pairs = Math.min(part.count ?? 0, next.count ?? 0);
      for (let k = 0; k < pairs; k++) {
        const b = baseMessages[bi++];
        const h = headMessages[hi++];
        messages.push({
          position: hi,
          role: h.role === b.role ? h.role : `${b.role} → ${h.role}`,
          status: 'changed',
          runs: runs(b.content, h.content),
        });
      }
      for (let k = pairs; k < (part.count ?? 0); k++) {
        const b = baseMessages[bi++];
        messages.push({ position: bi, role: b.role, status: 'removed', runs: [{ text: b.content, kind: 'removed' }] });
      }
      for (let k = pairs; k < (next.count ?? 0); k++) {
        const h = headMessages[hi++];
        messages.push({ position: hi, role: h.role, status: 'added', runs: [{ text: h.content, kind: 'added' }] });
      }
      i++;
    } else if (part.removed) {
      for (let k = 0; k < (part.count ?? 0); k++) {
        const b = baseMessages[bi++];
        messages.push({ position: bi, role: b.role, status: 'removed', runs: [{ text: b.content, kind: 'removed' }] });
      }
    } else if (part.added) {
      for (let k = 0; k < (part.count ?? 0); k++) {
        const h = headMessages[hi++];
        messages.push({ position: hi, role: h.role, status: 'added', runs: [{ text: h.content, kind: 'added' }] });
      }
    } else {
      for (let k = 0; k < (part.count ?? 0); k++) {
        const h = headMessages[hi++];
        bi++;
        messages.push({ position: hi, role: h.role, status: 'same', runs: [{ text: h.content, kind: 'same' }] });
      }
    }
  }
  return { fields, messages };
}
