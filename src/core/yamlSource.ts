import {
  Composer,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  Parser,
  YAMLParseError,
  type Document,
  type DocumentOptions,
  type Node,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';
import { fieldPath, type Diagnostic, type Suggestion } from './diagnostics';
import { runToEnd, type Steps } from './steps';
import { TextPositions, type Position } from './textPositions';

const MAX_YAML_DIAGNOSTICS = 50;
/** Lexemes between pauses when parsing in steps (a few hundred bytes of YAML). */
const LEXEMES_PER_STEP = 64;

/**
 * A YAML document parsed with positions, able to say where any field path is in the
 * original file. `baseOffset` is where the YAML starts inside a larger file (front matter),
 * so locations are always in the user's file, not in the snippet.
 */
export class YamlSource {
  readonly doc: Document.Parsed;
  readonly diagnostics: Diagnostic[] = [];

  /** Parses `yamlText` at once; `YamlSource.inSteps` is the same parse with pauses. */
  constructor(
    readonly file: string,
    yamlText: string,
    private readonly positions: TextPositions,
    private readonly baseOffset = 0,
    parsed?: Document.Parsed,
  ) {
    this.doc = parsed ?? runToEnd(parseDocumentInSteps(yamlText));
    const problems = [
      ...this.doc.errors.map((e) => ({ e, severity: 'error' as const })),
      ...this.doc.warnings.map((e) => ({ e, severity: 'warning' as const })),
    ];
    // Garbage input can yield one error per line; locating each walks the document, so
    // report the first few only (they are the ones a user can act on).
    for (const { e, severity } of problems.slice(0, MAX_YAML_DIAGNOSTICS)) {
      // yaml puts BAD_INDENT at the start of the line; the misindented item is what to show.
      const offset = e.code === 'BAD_INDENT' ? skipSpaces(yamlText, e.pos[0]) : e.pos[0];
      const p = this.positionOfOffset(offset);
      this.diagnostics.push({
        file,
        line: p.line,
        column: p.column,
        field: this.fieldAtOffset(offset),
        message: yamlMessage(e.message),
        severity,
      });
    }
  }

  /** The same parse, pausing every few hundred bytes (the first parse in a process is slow, unoptimised code). */
  static *inSteps(file: string, yamlText: string, positions: TextPositions, baseOffset = 0): Steps<YamlSource> {
    const doc = yield* parseDocumentInSteps(yamlText);
    return new YamlSource(file, yamlText, positions, baseOffset, doc);
  }

  /** The document as plain JS data (undefined when empty). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
  }

  positionOfOffset(offset: number): Position {
    const o = this.baseOffset + offset;
    const text = this.positions.text;
    // yaml may point between the \r and \n of a CRLF; that is still the end of the line.
    return this.positions.at(text.charCodeAt(o) === 10 && text.charCodeAt(o - 1) === 13 ? o - 1 : o);
  }

  /**
   * Where a field is: its key when `at` is 'key' and the field is a map entry, else its value.
   * Falls back to the nearest existing ancestor, so a missing field points at its parent.
   */
  locate(path: readonly (string | number)[], at: 'key' | 'value' = 'value'): Position {
    let node: unknown = this.doc.contents;
    let best: Position = this.positionOfOffset(rangeStart(node) ?? 0);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return best;
        const last = i === path.length - 1;
        if (last && at === 'key') return this.positionOfOffset(rangeStart(pair.key) ?? 0);
        node = pair.value;
        best = this.positionOfOffset(rangeStart(node) ?? rangeStart(pair.key) ?? 0);
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined) return best;
        node = item;
        best = this.positionOfOffset(rangeStart(node) ?? 0);
      } else {
        return best;
      }
    }
    return best;
  }

  /** A located diagnostic for a field path. */
  diagnostic(
    path: readonly (string | number)[],
    message: string,
    options: { at?: 'key' | 'value'; severity?: 'error' | 'warning'; suggestion?: Suggestion } = {},
  ): Diagnostic {
    const p = this.locate(path, options.at ?? 'value');
    const d: Diagnostic = {
      file: this.file,
      line: p.line,
      column: p.column,
      field: fieldPath(path),
      message,
      severity: options.severity ?? 'error',
    };
    if (options.suggestion) d.suggestion = options.suggestion;
    return d;
  }

  /** The dotted path of the innermost node containing `offset` (relative to the YAML text). */
  fieldAtOffset(offset: number): string {
    const segs: (string | number)[] = [];
    let node: unknown = this.doc.contents;
    for (;;) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && contains(p.key, offset, p.value));
        if (!pair || !isScalar(pair.key)) break;
        segs.push(String(pair.key.value));
        node = pair.value;
      } else if (isSeq(node)) {
        const idx = node.items.findIndex((n) => contains(n, offset));
        if (idx < 0) break;
        segs.push(idx);
        node = node.items[idx];
      } else break;
    }
    return fieldPath(segs);
  }
}

function skipSpaces(text: string, offset: number): number {
  let o = offset;
  while (text.charCodeAt(o) === 32) o++;
  return o;
}

function rangeStart(node: unknown): number | undefined {
  const r = (node as Node | null | undefined)?.range;
  return r ? r[0] : undefined;
}

function contains(node: unknown, offset: number, until?: unknown): boolean {
  const start = rangeStart(node);
  const endNode = (until ?? node) as Node | null | undefined;
  const end = endNode?.range?.[2] ?? (node as Node | null | undefined)?.range?.[2];
  return start !== undefined && end !== undefined && offset >= start && offset <= end;
}

/** yaml's messages end with a code excerpt when prettyErrors is on; we keep only the sentence. */
function yamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  prettyErrors: false,
  uniqueKeys: true,
  strict: true,
  // yaml would otherwise print Node process warnings (e.g. for `{a}: b` keys) to stderr.
  logLevel: 'error',
};

/**
 * yaml's `parseDocument`, with its lexer, parser and composer driven one lexeme at a time
 * so that the caller may pause between them. As there, a second document is an error.
 */
function* parseDocumentInSteps(text: string): Steps<Document.Parsed> {
  // No LineCounter: positions come from TextPositions, and errors are not prettified.
  const parser = new Parser();
  const composer = new Composer(PARSE_OPTIONS);
  let doc: Document.Parsed | undefined;
  /** False once a second document is found (parseDocument stops there too). */
  const take = (docs: Iterable<Document.Parsed>): boolean => {
    for (const next of docs) {
      if (!doc) doc = next;
      else {
        doc.errors.push(
          new YAMLParseError(
            next.range.slice(0, 2) as [number, number],
            'MULTIPLE_DOCS',
            'Source contains multiple documents; please use YAML.parseAllDocuments()',
          ),
        );
        return false;
      }
    }
    return true;
  };
  let n = 0;
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) if (!take(composer.next(token))) return doc!;
    if (++n % LEXEMES_PER_STEP === 0) yield;
  }
  for (const token of parser.end()) if (!take(composer.next(token))) return doc!;
  take(composer.end(true, text.length));
  return doc!;
}
