import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LocatedError } from '../../../src/core/diagnostics';
import { parsePromptFile, type MessageRole, type PromptFile, type PromptFormat } from '../../../src/core/prompts';
import { assertWellLocated } from './expectParse';
import { listFixtures, readFixture, REAL_PROMPTS_DIR } from './fixtureFiles';

const FORMATS: [PromptFormat, string][] = [
  ['humanloop', 'gen/p.prompt'],
  ['github-models', 'gen/p.prompt.yml'],
  ['prompty', 'gen/p.prompty'],
  ['vscode-prompt-md', 'gen/p.prompt.md'],
];

/** Parses `text` as every format: no throw, every diagnostic located inside the text, unchanged files round-trip. */
function assertSafeForEveryFormat(text: string): void {
  for (const [format, path] of FORMATS) {
    const { prompt, diagnostics } = parsePromptFile(path, text, format);
    assertWellLocated(diagnostics, path, text);
    if (prompt) assert.equal(prompt.serialize(), text);
  }
}

/** Pieces that make the parsers' interesting cases likely in random text. */
const FRAGMENT = fc.constantFrom(
  '---',
  '\n',
  '\r\n',
  '\r',
  '\uFEFF',
  '```prompt',
  '````',
  '<system>',
  '</system>',
  '<user>',
  '</user>',
  '<assistant>',
  '<x>',
  'system:',
  'User:',
  'assistant: hi',
  'example:',
  '{{',
  '}}',
  '{{ a.b }}',
  '{%',
  '%}',
  '{% for x in y %}',
  '{% endfor %}',
  '{#',
  '${input:n}',
  'env: ',
  'workspace: ',
  'name: ',
  'model:',
  'messages:',
  '  - role: user',
  '    content: ',
  'role: bad',
  ': ',
  '- ',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '&a',
  '*a',
  '|',
  '>',
  '#',
  '  ',
  '\t',
  '\u0000',
  'é',
  '\u2028',
  '\uD800',
  'x',
);
const fragmentText = fc.array(FRAGMENT, { maxLength: 40 }).map((parts) => parts.join(''));
const anyUtf16 = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 80,
});

const FIXTURE_TEXTS = listFixtures(REAL_PROMPTS_DIR).map((path) => readFixture(REAL_PROMPTS_DIR, path));
/** A real fixture with a few random edits: inserts, deletions and line-ending swaps. */
const mutatedFixture = fc
  .tuple(
    fc.integer({ min: 0, max: FIXTURE_TEXTS.length - 1 }),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.oneof(FRAGMENT, fc.constant(''))), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([index, edits]) => {
    let text = FIXTURE_TEXTS[index];
    for (const [at, remove, insert] of edits) {
      const start = at % (text.length + 1);
      text = text.slice(0, start) + insert + text.slice(start + remove);
    }
    return text;
  });

describe('prompt parsing: properties', () => {
  it('never throws on arbitrary text and locates every diagnostic (all formats)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), assertSafeForEveryFormat), { numRuns: 300 });
  });

  it('never throws on arbitrary Unicode, including lone surrogates and NULs', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), anyUtf16), assertSafeForEveryFormat),
      { numRuns: 300 },
    );
  });

  it('never throws on text built from prompt syntax fragments', () => {
    fc.assert(fc.property(fragmentText, assertSafeForEveryFormat), { numRuns: 500 });
  });

  it('never throws on mutated real fixtures', () => {
    fc.assert(fc.property(mutatedFixture, assertSafeForEveryFormat), { numRuns: 200 });
  });

  it('setMetadata either edits exactly as asked or refuses with a LocatedError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fragmentText, mutatedFixture),
        fc.constantFrom(...FORMATS),
        fc.constantFrom('prod', undefined),
        (text, [format, path], value) => {
          const { prompt, diagnostics } = parsePromptFile(path, text, format);
          if (!prompt) return;
          const clean = !diagnostics.some((d) => d.severity === 'error');
          try {
            prompt.setMetadata('env', value);
          } catch (e) {
            assert.ok(e instanceof LocatedError, String(e));
            // Removing a field that is not there, or adding to a file with no metadata, always works.
            assert.ok(
              !(clean && value === undefined && !Object.hasOwn(prompt.model.metadata, 'env')),
              'refused a no-op removal',
            );
            assert.ok(
              !(clean && (prompt as PromptFile).layout.metadata === undefined),
              'refused to create front matter',
            );
            assert.equal(prompt.serialize(), text, 'a refused edit leaves the file as it was');
            return;
          }
          const after = prompt.serialize();
          const reparsed = parsePromptFile(path, after, format).prompt;
          assert.ok(reparsed);
          assert.equal(reparsed.model.metadata.env, value);
          assert.equal(Object.hasOwn(reparsed.model.metadata, 'env'), value !== undefined);
          assert.deepEqual(prompt.model, reparsed.model);
        },
      ),
      { numRuns: 300 },
    );
  });

  describe('generated valid files round-trip and read as generated', () => {
    const lineBreak = fc.constantFrom('\n', '\r\n');
    const bom = fc.constantFrom('', '\uFEFF');
    const CONTENT_LINE = fc.constantFrom(
      'hello there',
      'Use {{name}} today.',
      '# Title',
      '- item one',
      'example: not a role',
      'See {{ item.id }}.',
      'ends with space ',
      'tab\there',
    );
    const contentLines = fc.array(CONTENT_LINE, { minLength: 1, maxLength: 4 });
    const otherKeys = fc.uniqueArray(fc.stringMatching(/^x[a-z_]{0,8}$/), { maxLength: 4 });
    const scalar = fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9 ]{0,10}[a-z0-9]$/),
      fc.integer().map(String),
      fc.constantFrom('true', "'quoted: yes'", '"dq"'),
    );
    const optionalEnv = fc.option(fc.constantFrom('dev', 'test', 'prod'), { nil: undefined });
    const role = fc.constantFrom<MessageRole>('system', 'user', 'assistant');
    const messages = fc.array(fc.record({ role, lines: contentLines }), { minLength: 1, maxLength: 4 });
    const expectedVariables = (texts: string[]) =>
      [
        ...new Set(
          texts.flatMap((t) => [
            ...(t.includes('{{name}}') ? ['name'] : []),
            ...(t.includes('{{ item.id }}') ? ['item'] : []),
          ]),
        ),
      ].sort();

    function frontMatterLines(
      keys: string[],
      values: string[],
      env: string | undefined,
      name: string | undefined,
    ): string[] {
      const lines = keys.map((k, i) => `${k}: ${values[i] ?? 'v'}`);
      if (name !== undefined) lines.push(`name: ${name}`);
      if (env !== undefined) lines.push(`env: ${env}`);
      return lines;
    }

    /** The text setMetadata('env', 'staging') must produce for a front-matter file: one line changed or added, or a new front matter. */
    function withEnvStaging(
      text: string,
      bomText: string,
      eol: string,
      env: string | undefined,
      hasFrontMatter: boolean,
    ): string {
      if (env !== undefined) return text.replace(`env: ${env}${eol}`, `env: staging${eol}`);
      if (hasFrontMatter) {
        const open = text.indexOf(`---${eol}`);
        const close = text.indexOf(`---${eol}`, open + 3 + eol.length);
        return `${text.slice(0, close)}env: staging${eol}${text.slice(close)}`;
      }
      // A file with no line break at all gets LF.
      const newLine = text.includes(eol) ? eol : '\n';
      return `${bomText}---${newLine}env: staging${newLine}---${newLine}${text.slice(bomText.length)}`;
    }

    it('prompty', () => {
      fc.assert(
        fc.property(
          bom,
          lineBreak,
          otherKeys,
          fc.array(scalar),
          optionalEnv,
          fc.option(fc.constantFrom('My Prompt', 'n'), { nil: undefined }),
          messages,
          fc.boolean(),
          (b, eol, keys, values, env, name, msgs, withFrontMatter) => {
            const front = withFrontMatter
              ? `---${eol}${frontMatterLines(keys, values, env, name)
                  .map((l) => l + eol)
                  .join('')}---${eol}`
              : '';
            const body = msgs
              .map((m, i) => `${i % 2 ? m.role.toUpperCase() : m.role}:${eol}${m.lines.join(eol)}${eol}${eol}`)
              .join('');
            const text = b + front + body;
            const { prompt, diagnostics } = parsePromptFile('gen/p.prompty', text);
            assert.deepEqual(diagnostics, []);
            assert.ok(prompt);
            assert.equal(prompt.serialize(), text);
            const { model } = prompt;
            assert.deepEqual(
              model.messages.map((m) => [m.role, m.content]),
              msgs.map((m) => [m.role, m.lines.join(eol).trim()]),
            );
            assert.equal(model.name, withFrontMatter && name !== undefined ? name : 'p');
            assert.equal(model.env, withFrontMatter ? env : undefined);
            assert.deepEqual(model.variables, expectedVariables(model.messages.map((m) => m.content)));
            prompt.setMetadata('env', 'staging');
            assert.equal(prompt.model.env, 'staging');
            assert.equal(
              prompt.serialize(),
              withEnvStaging(text, b, eol, withFrontMatter ? env : undefined, withFrontMatter),
            );
          },
        ),
        { numRuns: 200 },
      );
    });

    it('humanloop', () => {
      fc.assert(
        fc.property(
          bom,
          lineBreak,
          otherKeys,
          fc.array(scalar),
          optionalEnv,
          messages,
          fc.boolean(),
          (b, eol, keys, values, env, msgs, withFrontMatter) => {
            const front = withFrontMatter
              ? `---${eol}model: gpt-4o${eol}${frontMatterLines(keys, values, env, undefined)
                  .map((l) => l + eol)
                  .join('')}---${eol}`
              : '';
            const body = msgs
              .map((m) => `<${m.role}>${eol}${m.lines.map((l) => `  ${l}`).join(eol)}${eol}</${m.role}>${eol}`)
              .join('');
            const text = b + front + body;
            const { prompt, diagnostics } = parsePromptFile('gen/p.prompt', text);
            assert.deepEqual(diagnostics, []);
            assert.ok(prompt);
            assert.equal(prompt.serialize(), text);
            assert.deepEqual(
              prompt.model.messages.map((m) => [m.role, m.content]),
              msgs.map((m) => [m.role, m.lines.join(eol)]),
            );
            assert.equal(prompt.model.model, withFrontMatter ? 'gpt-4o' : undefined);
            assert.deepEqual(Object.keys(prompt.model.parameters), withFrontMatter ? keys : []);
            prompt.setMetadata('env', 'staging');
            assert.equal(prompt.model.env, 'staging');
            assert.equal(
              prompt.serialize(),
              withEnvStaging(text, b, eol, withFrontMatter ? env : undefined, withFrontMatter),
            );
          },
        ),
        { numRuns: 200 },
      );
    });

    it('vscode-prompt-md', () => {
      fc.assert(
        fc.property(
          bom,
          lineBreak,
          otherKeys,
          fc.array(scalar),
          optionalEnv,
          contentLines,
          fc.constantFrom('none', 'plain', 'fenced'),
          fc.boolean(),
          (b, eol, keys, values, env, lines, shape, finalNewline) => {
            const fm = `---${eol}${frontMatterLines(keys, values, env, undefined)
              .map((l) => l + eol)
              .join('')}---${eol}`;
            const bodyText = lines.join(eol) + (finalNewline ? eol : '');
            const text =
              shape === 'none'
                ? b + bodyText
                : shape === 'plain'
                  ? b + fm + eol + bodyText
                  : `${b}\`\`\`\`prompt${eol}${fm}${lines.join(eol)}${eol}\`\`\`\`${finalNewline ? eol : ''}`;
            const { prompt, diagnostics } = parsePromptFile('gen/p.prompt.md', text);
            assert.deepEqual(diagnostics, []);
            assert.ok(prompt);
            assert.equal(prompt.serialize(), text);
            assert.deepEqual(
              prompt.model.messages.map((m) => [m.role, m.content]),
              [['user', lines.join(eol).trim()]],
            );
            assert.equal(prompt.model.env, shape === 'none' ? undefined : env);
            prompt.setMetadata('env', 'staging');
            assert.equal(prompt.model.env, 'staging');
            assert.equal(
              prompt.serialize(),
              withEnvStaging(text, b, eol, shape === 'none' ? undefined : env, shape !== 'none'),
            );
          },
        ),
        { numRuns: 200 },
      );
    });

    it('github-models', () => {
      fc.assert(
        fc.property(
          bom,
          lineBreak,
          otherKeys,
          fc.array(scalar),
          optionalEnv,
          messages,
          fc.boolean(),
          fc.constantFrom('  ', '    '),
          (b, eol, keys, values, env, msgs, finalNewline, indent) => {
            const lines = [
              'name: Generated',
              'model: openai/gpt-4o',
              'modelParameters:',
              `${indent}temperature: 0.5`,
              ...frontMatterLines(keys, values, env, undefined),
              'messages:',
            ];
            for (const m of msgs) {
              lines.push(
                `${indent}- role: ${m.role}`,
                `${indent}  content: |-`,
                ...m.lines.map((l) => `${indent}    ${l}`),
              );
            }
            const text = b + lines.join(eol) + (finalNewline ? eol : '');
            const { prompt, diagnostics } = parsePromptFile('gen/p.prompt.yml', text);
            assert.deepEqual(diagnostics, []);
            assert.ok(prompt);
            assert.equal(prompt.serialize(), text);
            // YAML reads every line break in a block scalar as \n; `|-` drops only the final one.
            assert.deepEqual(
              prompt.model.messages.map((m) => [m.role, m.content]),
              msgs.map((m) => [m.role, m.lines.join('\n')]),
            );
            assert.deepEqual(prompt.model.parameters, { temperature: 0.5 });
            assert.equal(prompt.model.env, env);
            assert.deepEqual(prompt.model.variables, expectedVariables(msgs.map((m) => m.lines.join('\n'))));
            prompt.setMetadata('env', 'staging');
            assert.equal(prompt.model.env, 'staging');
            const expected =
              env !== undefined
                ? text.replace(`env: ${env}${eol}`, `env: staging${eol}`)
                : finalNewline
                  ? `${text}env: staging${eol}`
                  : `${text}${eol}env: staging`;
            assert.equal(prompt.serialize(), expected);
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
