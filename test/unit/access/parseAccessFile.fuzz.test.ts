import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { hasErrors } from '../../../src/core/diagnostics';
import { TextPositions } from '../../../src/core/textPositions';
import { parseAccessFile } from '../../../src/core/access';
import { VALID_EXAMPLES } from './examples';

const FILE = 'fuzz/access.yaml';

/** The invariants every input must keep: no throw, diagnostics inside the text, policy iff no error. */
function assertWellBehaved(text: string): void {
  const result = parseAccessFile(text, FILE);
  const positions = new TextPositions(text);
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (const d of result.diagnostics) {
    assert.equal(d.file, FILE);
    assert.ok(d.message.length > 0);
    assert.ok(d.severity === 'error' || d.severity === 'warning');
    assert.ok(
      Number.isInteger(d.line) && d.line >= 1 && d.line <= positions.lineCount,
      `line ${d.line} of ${positions.lineCount}`,
    );
    assert.ok(Number.isInteger(d.column) && d.column >= 1, `column ${d.column}`);
    assert.ok(d.column <= lines[d.line - 1].length + 1, `column ${d.column} past the end of line ${d.line}`);
  }
  assert.equal(result.policy !== undefined, !hasErrors(result.diagnostics));
}

type Mutation =
  | { kind: 'deleteChar' | 'duplicateChar' | 'deleteLine' | 'duplicateLine'; at: number }
  | { kind: 'replaceChar'; at: number; char: string }
  | { kind: 'swapLines'; at: number; with: number };

const CHARS = [
  ' ',
  '\t',
  '\n',
  '\r\n',
  ':',
  '-',
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  "'",
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  '?',
  '%',
  '@',
  '`',
  'x',
  '0',
  '\uFEFF',
  'é',
  '😀',
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom(
      'deleteChar' as const,
      'duplicateChar' as const,
      'deleteLine' as const,
      'duplicateLine' as const,
    ),
    at: fc.nat(),
  }),
  fc.record({ kind: fc.constant('replaceChar' as const), at: fc.nat(), char: fc.constantFrom(...CHARS) }),
  fc.record({ kind: fc.constant('swapLines' as const), at: fc.nat(), with: fc.nat() }),
);

function mutate(text: string, m: Mutation): string {
  if (m.kind.endsWith('Char')) {
    if (text.length === 0) return text;
    const i = m.at % text.length;
    if (m.kind === 'deleteChar') return text.slice(0, i) + text.slice(i + 1);
    if (m.kind === 'duplicateChar') return text.slice(0, i + 1) + text.slice(i);
    return text.slice(0, i) + (m as { char: string }).char + text.slice(i + 1);
  }
  const lines = text.split('\n');
  const i = m.at % lines.length;
  if (m.kind === 'deleteLine') lines.splice(i, 1);
  else if (m.kind === 'duplicateLine') lines.splice(i, 0, lines[i]);
  else if (m.kind === 'swapLines') {
    const j = m.with % lines.length;
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  return lines.join('\n');
}

const ACCESS_KEYS = [
  'version',
  'server',
  'publicKey',
  'releaseBranch',
  'environments',
  'roles',
  'workspaces',
  'approvals',
  'protected',
];
const NAMES = [
  'viewer',
  'editor',
  'admin',
  'reviewer',
  'publisher',
  'prod',
  'dev',
  'support',
  'default',
  'constructor',
  '__proto__',
  'prompt.publish',
  'extends',
  'members',
  'paths',
  'from',
  'required',
  '',
  '../x',
  '/abs',
  '[x',
];

/** Values shaped loosely like an access file, so the semantic checks meet every wrong shape. */
const accessLike: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<unknown>(...NAMES, 1, 0, -1, 2.5, true, null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...NAMES, ...ACCESS_KEYS), tie('value'), { maxKeys: 5 }),
  ),
})).value;

const accessDocument = fc.record(
  Object.fromEntries(ACCESS_KEYS.map((k) => [k, k === 'version' ? fc.constantFrom<unknown>(1, 2, '1') : accessLike])),
  { requiredKeys: [] },
);

describe('parseAccessFile: fuzzing', function () {
  this.timeout(30_000);

  // yaml reports some oddities (say, a list used as a map key) through process warnings;
  // a library used by the extension and the server must not print to the console.
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  before(() => process.on('warning', onWarning));
  after(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    assert.deepEqual(warnings, []);
  });

  it('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), assertWellBehaved), { numRuns: 300 });
  });

  it('arbitrary strings made of YAML punctuation', () => {
    const yamlish = fc
      .array(fc.constantFrom(...CHARS, 'version: 1\n', 'roles:', '  ', 'a', '!!binary ', '? ', '&a ', '*a ', '<<: '), {
        maxLength: 60,
      })
      .map((parts) => parts.join(''));
    fc.assert(fc.property(yamlish, assertWellBehaved), { numRuns: 300 });
  });

  it('arbitrary JSON values dumped as YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => assertWellBehaved(stringify(value))),
      { numRuns: 300 },
    );
  });

  it('access-file-shaped values dumped as YAML (flow and block style)', () => {
    fc.assert(
      fc.property(accessDocument, fc.boolean(), (doc, flow) =>
        assertWellBehaved(stringify(doc, flow ? { collectionStyle: 'flow' } : {})),
      ),
      { numRuns: 300 },
    );
  });

  it('random mutations of the valid examples', () => {
    const examples = Object.values(VALID_EXAMPLES);
    fc.assert(
      fc.property(
        fc.constantFrom(...examples),
        fc.array(mutation, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (text, mutations, crlf) => {
          const mutated = mutations.reduce(mutate, text);
          assertWellBehaved(crlf ? mutated.replace(/\n/g, '\r\n') : mutated);
        },
      ),
      { numRuns: 400 },
    );
  });
});
