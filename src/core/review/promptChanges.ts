import { diffArrays, diffLines, diffWordsWithSpace } from 'diff';
import { parsePromptFile } from '../prompts/parsePromptFile';
import type { PromptMessage, PromptModel } from '../prompts/promptModel';

/** A piece of text on one side of a change: kept, added or removed. */
export interface TextRun {
  text: string;
  kind: 'same' | 'added' | 'removed';
}

/** A metadata field (model, a parameter, name, description, workspace, env). */
export interface FieldChange {
  field: string;
  /** JSON-ish text of the value; undefined when absent on that side. */
  before?: string;
  after?: string;
  status: 'same' | 'added' | 'removed' | 'changed';
}

export interface MessageChange {
  /** 1-based position in the proposed version (or the published one, for a removed message). */
  position: number;
  role: string;
  status: 'same' | 'added' | 'removed' | 'changed';
  /** Word-level runs from the published text to the proposed one. */
  runs: TextRun[];
}

/** What changed in a prompt, the one diff every front end (review panel, `review show`) renders. */
export interface PromptChanges {
  fields: FieldChange[];
  messages: MessageChange[];
  /** Set when either side is not a readable prompt: the change is then line by line. */
  rawDiff?: TextRun[];
}

function kindOf(change: { added?: boolean; removed?: boolean }): TextRun['kind'] {
  return change.added ? 'added' : change.removed ? 'removed' : 'same';
}

function wordRuns(before: string, after: string): TextRun[] {
  return diffWordsWithSpace(before, after).map((c) => ({ text: c.value, kind: kindOf(c) }));
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

function fieldChanges(base: PromptModel | undefined, head: PromptModel): FieldChange[] {
  const before = fieldsOf(base);
  const after = fieldsOf(head);
  const fields: FieldChange[] = [];
  for (const field of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(field);
    const a = after.get(field);
    const status = b === a ? 'same' : b === undefined ? 'added' : a === undefined ? 'removed' : 'changed';
    fields.push({ field, before: b, after: a, status });
  }
  return fields;
}

/**
 * Messages aligned by role and text, so an inserted message is one addition rather than a
 * shift of every message after it. Within a block of removed and added messages, those of
 * the same role pair up (in order) as changed messages with word runs.
 */
function messageChanges(base: PromptMessage[], head: PromptMessage[]): MessageChange[] {
  const key = (m: PromptMessage) => `${m.role}\u0000${m.content}`;
  const out: MessageChange[] = [];
  let bi = 0;
  let hi = 0;
  const removed = (count: number) => {
    for (let k = 0; k < count; k++) {
      const b = base[bi++];
      out.push({ position: bi, role: b.role, status: 'removed', runs: [{ text: b.content, kind: 'removed' }] });
    }
  };
  const added = (count: number) => {
    for (let k = 0; k < count; k++) {
      const h = head[hi++];
      out.push({ position: hi, role: h.role, status: 'added', runs: [{ text: h.content, kind: 'added' }] });
    }
  };
  const aligned = diffArrays(base.map(key), head.map(key));
  for (let i = 0; i < aligned.length; i++) {
    const part = aligned[i];
    if (!part.added && !part.removed) {
      for (let k = 0; k < part.count; k++) {
        const h = head[hi++];
        bi++;
        out.push({ position: hi, role: h.role, status: 'same', runs: [{ text: h.content, kind: 'same' }] });
      }
      continue;
    }
    // A changed block: the removed run and the added run next to it (either may be empty).
    let removedCount = 0;
    let addedCount = part.count;
    if (part.removed) {
      removedCount = part.count;
      const next = aligned[i + 1];
      addedCount = 0;
      if (next?.added) {
        addedCount = next.count;
        i++;
      }
    }
    const byRole = diffArrays(
      base.slice(bi, bi + removedCount).map((m) => m.role),
      head.slice(hi, hi + addedCount).map((m) => m.role),
    );
    for (const roles of byRole) {
      if (roles.removed) removed(roles.count);
      else if (roles.added) added(roles.count);
      else
        for (let k = 0; k < roles.count; k++) {
          const b = base[bi++];
          const h = head[hi++];
          out.push({ position: hi, role: h.role, status: 'changed', runs: wordRuns(b.content, h.content) });
        }
    }
  }
  return out;
}

/**
 * The change from the published version (`base`, undefined when nothing is published) to
 * the proposed one (`head`), as a reviewer reads it: field by field (model, each parameter,
 * …) and message by message, each with word-level runs. When either side is not a readable
 * prompt, a line diff of the raw text instead.
 */
export function promptChanges(path: string, base: string | undefined, head: string): PromptChanges {
  const baseModel = base === undefined ? undefined : parsePromptFile(path, base).prompt?.model;
  const headModel = parsePromptFile(path, head).prompt?.model;
  if (!headModel || (base !== undefined && !baseModel)) {
    return {
      fields: [],
      messages: [],
      rawDiff: diffLines(base ?? '', head).map((c) => ({ text: c.value, kind: kindOf(c) })),
    };
  }
  return {
    fields: fieldChanges(baseModel, headModel),
    messages: messageChanges(baseModel?.messages ?? [], headModel.messages),
  };
}
