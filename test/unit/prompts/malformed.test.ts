import assert from 'node:assert/strict';
import { parsePromptFile, type PromptFormat } from '../../../src/core/prompts';
import { assertWellLocated, errorsOf } from './expectParse';
import { withCpuMs } from '../../support/cpuTime';

const FRONT_MATTER_FORMATS: [PromptFormat, string][] = [
  ['humanloop', 'bad.prompt'],
  ['prompty', 'bad.prompty'],
  ['vscode-prompt-md', 'bad.prompt.md'],
];
const ALL_FORMATS: [PromptFormat, string][] = [...FRONT_MATTER_FORMATS, ['github-models', 'bad.prompt.yml']];

function parse(path: string, text: string, format?: PromptFormat) {
  const result = parsePromptFile(path, text, format);
  assertWellLocated(result.diagnostics, path, text);
  return result;
}

describe('prompt parsing: malformed input', () => {
  for (const [format, path] of FRONT_MATTER_FORMATS) {
    describe(format, () => {
      it('bad YAML in the front matter: located error in the original text', () => {
        const text = '\uFEFF---\r\nname: ok\r\nmodel: [gpt-4o\r\n---\r\nbody\r\n';
        const { prompt, diagnostics } = parse(path, text);
        const errors = errorsOf(diagnostics);
        assert.ok(errors.length > 0);
        assert.ok(
          errors.every((e) => e.line >= 3 && e.line <= 4),
          JSON.stringify(errors),
        );
        assert.equal(prompt?.serialize(), text);
      });

      it('unclosed --- : error at the opening line, no prompt', () => {
        const text = 'intro? no\n';
        assert.equal(parse(path, text).diagnostics.length, 0);
        const { prompt, diagnostics } = parse(path, '```prompt\n---\nname: x\nbody without a close\n');
        assert.equal(prompt, undefined);
        // Inside a ```prompt fence the front matter opens on line 2.
        assert.deepEqual(errorsOf(diagnostics), [{ line: 2, column: 1, field: '' }]);
        const unfenced = parse(path, '\uFEFF---\nname: x\n');
        assert.deepEqual(errorsOf(unfenced.diagnostics), [{ line: 1, column: 1, field: '' }]);
        assert.match(unfenced.diagnostics[0].message, /never closed/);
      });

      it('env: [a] and workspace: 3 are located type errors', () => {
        const text = '---\nname: x\nenv: [a]\nworkspace: 3\n---\nbody';
        const { prompt, diagnostics } = parse(path, text);
        assert.deepEqual(errorsOf(diagnostics), [
          { line: 4, column: 12, field: 'workspace' },
          { line: 3, column: 6, field: 'env' },
        ]);
        assert.match(diagnostics.find((d) => d.field === 'env')!.message, /must be a string, found a list/);
        assert.equal(prompt?.model.env, undefined);
      });

      it('front matter that is a list, not a mapping', () => {
        const { prompt, diagnostics } = parse(path, '---\n- a\n- b\n---\nbody\n');
        assert.deepEqual(errorsOf(diagnostics), [{ line: 2, column: 1, field: '' }]);
        assert.deepEqual(prompt?.model.metadata, {});
      });

      it('a name that is not text falls back to the file name', () => {
        const { prompt, diagnostics } = parse(path, '---\nname: {a: 1}\n---\nbody\n');
        assert.deepEqual(errorsOf(diagnostics), [{ line: 2, column: 7, field: 'name' }]);
        assert.equal(prompt?.model.name, 'bad');
      });
    });
  }

  describe('github-models', () => {
    const path = 'bad.prompt.yml';
    it('messages: 3 is an error at the value', () => {
      const { diagnostics } = parse(path, 'model: m\nmessages: 3\n');
      assert.deepEqual(errorsOf(diagnostics), [{ line: 2, column: 11, field: 'messages' }]);
      assert.match(diagnostics[0].message, /must be a list of messages/);
    });

    it('each bad message is reported at its field', () => {
      const text =
        'messages:\n  - role: user\n  - content: hi\n  - role: 7\n    content: [x]\n  - just text\n  - role: system\n    content: fine\n';
      const { prompt, diagnostics } = parse(path, text);
      assert.deepEqual(errorsOf(diagnostics), [
        { line: 2, column: 5, field: 'messages[0].content' },
        { line: 3, column: 5, field: 'messages[1].role' },
        { line: 4, column: 11, field: 'messages[2].role' },
        { line: 5, column: 14, field: 'messages[2].content' },
        { line: 6, column: 5, field: 'messages[3]' },
      ]);
      assert.deepEqual(prompt?.model.messages, [{ role: 'system', content: 'fine', line: 7 }]);
    });

    it('modelParameters and model of the wrong type', () => {
      const { diagnostics } = parse(path, 'model: [a]\nmodelParameters: 0.5\nmessages: []\n');
      assert.deepEqual(errorsOf(diagnostics), [
        { line: 1, column: 8, field: 'model' },
        { line: 2, column: 18, field: 'modelParameters' },
      ]);
    });

    it('a document that is not a mapping, and an empty file', () => {
      assert.deepEqual(errorsOf(parse(path, '- a\n').diagnostics), [
        { line: 1, column: 1, field: '' },
        { line: 1, column: 1, field: 'messages' },
      ]);
      assert.deepEqual(errorsOf(parse(path, '').diagnostics), [{ line: 1, column: 1, field: 'messages' }]);
    });

    it('bad YAML: the syntax error, not a missing-messages error', () => {
      const { diagnostics } = parse(path, 'name: x\n  bad: indent\n');
      assert.ok(diagnostics.length > 0);
      assert.ok(diagnostics.every((d) => d.field !== 'messages'));
    });

    it('an alias bomb is refused, not expanded', () => {
      const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 12; i++)
        lines.push(
          `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(96 + i)}`)
            .join(', ')}]`,
        );
      const { diagnostics } = parse(path, `${lines.join('\n')}\nmessages: []\n`);
      assert.ok(errorsOf(diagnostics).length > 0);
    });
  });

  describe('prompty', () => {
    it('model of the wrong type', () => {
      const { diagnostics } = parse('x.prompty', '---\nmodel: 3\n---\nsystem:\nhi\n');
      assert.deepEqual(errorsOf(diagnostics), [{ line: 2, column: 8, field: 'model' }]);
    });
  });

  it('an unknown extension without a format is not a prompt file', () => {
    const { prompt, diagnostics } = parsePromptFile('notes.txt', 'hello');
    assert.equal(prompt, undefined);
    assert.deepEqual(errorsOf(diagnostics), [{ line: 1, column: 1, field: '' }]);
  });

  const FIVE_MB = 5 * 1024 * 1024;
  const bodyLine = 'user: {{ x }} <b>bold</b> {% for i in xs %}{{i}}{% endfor %} \u0000 ${input:y}\n';
  const hugeBodies: Record<PromptFormat, string> = {
    humanloop: '---\nname: big\n---\n<user>\n' + bodyLine.repeat(Math.ceil(FIVE_MB / bodyLine.length)),
    prompty: '---\nname: big\n---\n' + bodyLine.repeat(Math.ceil(FIVE_MB / bodyLine.length)),
    'vscode-prompt-md': '---\nname: big\n---\n' + bodyLine.repeat(Math.ceil(FIVE_MB / bodyLine.length)),
    // The "body" of a GitHub Models file is a message's block scalar.
    'github-models':
      'name: big\nmessages:\n  - role: user\n    content: |\n' +
      `      ${bodyLine}`.repeat(Math.ceil(FIVE_MB / bodyLine.length)),
  };

  for (const [format, path] of ALL_FORMATS) {
    it(`${format}: a 5 MB body and NUL bytes parse without throwing, quickly`, () => {
      const big = hugeBodies[format];
      const { result, ms } = withCpuMs(() => parse(path, big, format));
      assert.ok(ms < 4000, `took ${ms.toFixed(0)} ms of CPU`);
      if (result.prompt) assert.equal(result.prompt.serialize(), big);
      const nulText = '\u0000---\n\u0000: \u0000\n---\n\u0000<user>\u0000</user>';
      const nul = parse(path, nulText, format);
      if (nul.prompt) assert.equal(nul.prompt.serialize(), nulText);
    });
  }

  it('github-models: a large file of YAML garbage reports a bounded number of errors', () => {
    const junk = 'user: {{ x }} <b>bold</b> \u0000\n'.repeat(3_000);
    const { diagnostics } = parse('junk.prompt.yml', junk);
    assert.ok(diagnostics.length > 0 && diagnostics.length <= 60, `${diagnostics.length} diagnostics`);
  });
});
