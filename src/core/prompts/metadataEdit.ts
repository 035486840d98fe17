import { isMap, isScalar, stringify, type Node, type Pair } from 'yaml';
import { LocatedError } from '../diagnostics';
import { lineAt, lineBreakLengthAt, lineEndAt, lineStartAt } from './lineBreaks';
import type { YamlSource } from '../yamlSource';

export type MetadataValue = string | number | boolean | undefined;

/**
 * Sets, adds or removes (`undefined`) one top-level field in metadata YAML by editing its
 * text, so every other byte (comments, quoting, order, line endings) stays as it was.
 * `source` is the parsed `yamlText`, or undefined for a file that has no metadata yet.
 * Throws a LocatedError when the YAML cannot be edited safely: it has errors, or it is
 * not a block mapping.
 */
export function editMetadataYaml(
  yamlText: string,
  source: YamlSource | undefined,
  key: string,
  value: MetadataValue,
  lineBreak: string,
): string {
  const errors = source?.diagnostics.filter((d) => d.severity === 'error') ?? [];
  if (errors.length > 0) throw new LocatedError(errors);
  const root = source?.doc.contents ?? null;
  if (!source || root === null) {
    return value === undefined ? yamlText : appendLine(yamlText, `${renderKey(key)}: ${renderValue(value)}`, lineBreak);
  }
  if (!isMap(root))
    throw new LocatedError([source.diagnostic([], `cannot set \`${key}\`: the metadata is not a mapping`)]);
  const pair = root.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  if (!pair) {
    if (value === undefined) return yamlText;
    if (root.flow)
      throw new LocatedError([source.diagnostic([], `cannot add \`${key}\` to a \`{ … }\` mapping; add it by hand`)]);
    const indent = ' '.repeat(indentOf(yamlText, rangeOf(root.items[0]?.key)?.[0] ?? 0));
    return appendLine(yamlText, `${indent}${renderKey(key)}: ${renderValue(value)}`, lineBreak);
  }
  const keyStart = rangeOf(pair.key)![0];
  if (value === undefined) {
    if (root.flow)
      throw new LocatedError([
        source.diagnostic([key], `cannot remove \`${key}\` from a \`{ … }\` mapping; remove it by hand`, { at: 'key' }),
      ]);
    const start = lineStartAt(yamlText, keyStart);
    const last = lineAt(yamlText, lineStartAt(yamlText, lastContentOffset(yamlText, pair)));
    return yamlText.slice(0, start) + yamlText.slice(last.next);
  }
  return (
    yamlText.slice(0, keyStart) +
    `${keySource(yamlText, pair)}: ${renderValue(value)}` +
    yamlText.slice(replaceEnd(yamlText, pair))
  );
}

/** Where the replaced text of a pair ends: after a one-line value (keeping a comment after it), or at the end of a block value's last line. */
function replaceEnd(yamlText: string, pair: Pair): number {
  const value = pair.value as Node | null;
  const range = rangeOf(value);
  if (!range) return rangeOf(pair.key)![1];
  if (isScalar(value) && value.type !== 'BLOCK_LITERAL' && value.type !== 'BLOCK_FOLDED') return range[1];
  return lineEndAt(yamlText, lastContentOffset(yamlText, pair));
}

/** Offset of the last non-whitespace character that belongs to the pair. */
function lastContentOffset(yamlText: string, pair: Pair): number {
  const end = rangeOf(pair.value)?.[1] ?? rangeOf(pair.key)![1];
  let i = end;
  while (i > 0 && /\s/.test(yamlText[i - 1])) i--;
  return Math.max(i - 1, rangeOf(pair.key)![0]);
}

function keySource(yamlText: string, pair: Pair): string {
  const range = rangeOf(pair.key)!;
  return yamlText.slice(range[0], range[1]);
}

function appendLine(yamlText: string, line: string, lineBreak: string): string {
  if (yamlText === '' || lineBreakLengthAt(yamlText, yamlText.length - 1) > 0) return yamlText + line + lineBreak;
  return yamlText + lineBreak + line;
}

function indentOf(text: string, offset: number): number {
  return offset - lineStartAt(text, offset);
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  return (node as Node | null | undefined)?.range ?? undefined;
}

function renderKey(key: string): string {
  return /^[A-Za-z_][\w.-]*$/.test(key) ? key : JSON.stringify(key);
}

/** A value on one line: plain when YAML allows it, else double-quoted (JSON strings are valid YAML). */
export function renderValue(value: string | number | boolean): string {
  if (typeof value !== 'string') return stringify(value).trimEnd();
  const plain = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
  return /[\n\r]/.test(plain) ? JSON.stringify(value) : plain;
}
