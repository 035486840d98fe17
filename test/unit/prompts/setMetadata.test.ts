import assert from 'node:assert/strict';
import { LocatedError } from '../../../src/core/diagnostics';
import { parsePromptFile, type ParsedPrompt } from '../../../src/core/prompts';
import { parseValid } from './expectParse';
import { PROMPT_FIXTURES_DIR, readFixture, REAL_PROMPTS_DIR } from './fixtureFiles';

/** Lines that differ between two texts of the same line count, split on any line break. */
function changedLines(before: string, after: string): { line: number; before: string; after: string }[] {
  const a = before.split(/\r\n|\r|\n/);
  const b = after.split(/\r\n|\r|\n/);
  assert.equal(a.length, b.length, 'line count changed');
  return a.flatMap((line, i) => (line === b[i] ? [] : [{ line: i + 1, before: line, after: b[i] }]));
}

function edited(prompt: ParsedPrompt, key: string, value: string | number | boolean | undefined): string {
  prompt.setMetadata(key, value);
  return prompt.serialize();
}

describe('prompt parsing: setMetadata', () => {
  it('changes env on a CRLF file: CRLF kept, only that line differs', () => {
    const path = 'few-shot-translate-crlf.prompt';
    const text = readFixture(PROMPT_FIXTURES_DIR, path);
    const prompt = parseValid(path, text);
    const after = edited(prompt, 'env', 'prod');
    assert.deepEqual(changedLines(text, after), [{ line: 6, before: 'env: dev', after: 'env: prod' }]);
    assert.equal(after, text.replace('env: dev\r\n', 'env: prod\r\n'));
    assert.equal(prompt.model.env, 'prod');
    assert.equal(parsePromptFile(path, after).prompt?.model.env, 'prod');
  });

  for (const path of [
    'vscode-prompt-md/acp-my-issues.prompt.md',
    'vscode-prompt-md/acp-power-bi-dax-optimization.prompt.md',
  ]) {
    it(`changes env on the CRLF file ${path}: CRLF kept, one line differs`, () => {
      const prompt = parseValid(path, readFixture(REAL_PROMPTS_DIR, path));
      const withEnv = edited(prompt, 'env', 'dev');
      const after = edited(prompt, 'env', 'prod');
      const line = withEnv.split(/\r\n/).indexOf('env: dev') + 1;
      assert.deepEqual(changedLines(withEnv, after), [{ line, before: 'env: dev', after: 'env: prod' }]);
      assert.ok(!/[^\r]\n/.test(after), 'no bare LF introduced');
      assert.equal(prompt.model.env, 'prod');
    });
  }

  it('adds env to a CRLF front matter with a CRLF line, before the closing ---', () => {
    const path = 'vscode-prompt-md/acp-my-issues.prompt.md';
    const text = readFixture(REAL_PROMPTS_DIR, path);
    const prompt = parseValid(path, text);
    const after = edited(prompt, 'env', 'prod');
    assert.equal(after, text.replace("repository'\r\n---\r\n", "repository'\r\nenv: prod\r\n---\r\n"));
    assert.equal(prompt.model.env, 'prod');
    assert.deepEqual(prompt.locateMetadata('env'), { line: 5, column: 6 });
    assert.ok(!/[^\r]\n/.test(after), 'no bare LF introduced');
  });

  it('adds to a fenced CRLF file with a BOM-free prefix kept', () => {
    const path = 'vscode-prompt-md/acp-power-bi-dax-optimization.prompt.md';
    const text = readFixture(REAL_PROMPTS_DIR, path);
    const prompt = parseValid(path, text);
    const after = edited(prompt, 'workspace', 'analytics');
    assert.equal(
      after,
      text.replace("tools: ['microsoft.docs.mcp']\r\n", "tools: ['microsoft.docs.mcp']\r\nworkspace: analytics\r\n"),
    );
    assert.equal(prompt.model.workspace, 'analytics');
  });

  it('keeps a BOM, a missing final newline and a lone CR when editing', () => {
    const path = 'vscode-prompt-md/acp-togaf-assessment.prompt.md';
    const text = readFixture(REAL_PROMPTS_DIR, path);
    const prompt = parseValid(path, text);
    const after = edited(prompt, 'model', 'gpt-5');
    assert.equal(after, text.replace("model: 'claude-sonnet-4'", 'model: gpt-5'));
    assert.equal(prompt.model.model, 'gpt-5');
    const csharp = readFixture(REAL_PROMPTS_DIR, 'vscode-prompt-md/acp-csharp-tunit.prompt.md');
    const p2 = parseValid('acp-csharp-tunit.prompt.md', csharp);
    const after2 = edited(p2, 'env', 'test');
    assert.ok(after2.startsWith('\uFEFF---\n'));
    assert.equal(after2.slice(-40), csharp.slice(-40));
  });

  it('removes a key with its whole line, including a block value', () => {
    const text = '---\nname: x\nenv: dev # where it runs\ntools:\n  - a\n  - b\nmodel: gpt-4o\n---\nHello\n';
    const prompt = parseValid('x.prompt.md', text);
    assert.equal(edited(prompt, 'env', undefined), '---\nname: x\ntools:\n  - a\n  - b\nmodel: gpt-4o\n---\nHello\n');
    assert.equal(prompt.model.env, undefined);
    assert.equal(edited(prompt, 'tools', undefined), '---\nname: x\nmodel: gpt-4o\n---\nHello\n');
    assert.ok(!('tools' in prompt.model.metadata));
    // Removing what is not there changes nothing.
    assert.equal(edited(prompt, 'workspace', undefined), '---\nname: x\nmodel: gpt-4o\n---\nHello\n');
  });

  it('replaces a value and keeps the comment after it', () => {
    const prompt = parseValid('x.prompty', '---\nenv: dev # where it runs\n---\nsystem:\nhi');
    assert.equal(edited(prompt, 'env', 'prod'), '---\nenv: prod # where it runs\n---\nsystem:\nhi');
  });

  it('replaces a block value with a scalar on one line', () => {
    const prompt = parseValid('x.prompty', '---\ntags:\n  - a\n  - b\nname: n\n---\nhi');
    assert.equal(edited(prompt, 'tags', 'one'), '---\ntags: one\nname: n\n---\nhi');
    const literal = parseValid('x.prompty', '---\nnotes: |\n  line one  \n  line two\n\nname: n\n---\nhi');
    assert.equal(edited(literal, 'notes', 'short'), '---\nnotes: short\n\nname: n\n---\nhi');
    assert.equal(prompt.model.name, 'n');
  });

  it('fills an empty value', () => {
    const prompt = parseValid('x.prompt', '---\nenv:\nmodel: m\n---\n<user>hi</user>\n');
    assert.equal(edited(prompt, 'env', 'test'), '---\nenv: test\nmodel: m\n---\n<user>hi</user>\n');
  });

  it('creates front matter on a file with none, with the file line ending', () => {
    const text = readFixture(REAL_PROMPTS_DIR, 'prompty/prompty-shorthand-body-only.prompty');
    const prompt = parseValid('body-only.prompty', text);
    assert.equal(edited(prompt, 'env', 'prod'), `---\nenv: prod\n---\n${text}`);
    assert.equal(prompt.model.env, 'prod');
    assert.deepEqual(
      prompt.model.messages.map((m) => [m.role, m.line]),
      [['system', 4]],
    );

    const crlf = parseValid('x.prompt.md', '\uFEFF# Title\r\nBody\r\n');
    assert.equal(edited(crlf, 'workspace', 'docs'), '\uFEFF---\r\nworkspace: docs\r\n---\r\n# Title\r\nBody\r\n');

    const humanloop = parseValid('x.prompt', '<user>hi</user>');
    assert.equal(edited(humanloop, 'env', 'dev'), '---\nenv: dev\n---\n<user>hi</user>');
  });

  it('reads and edits front matter whose lines end in a lone CR', () => {
    const prompt = parseValid('x.prompt.md', '---\rname: x\renv: dev\r---\rbody\r');
    assert.equal(prompt.model.name, 'x');
    assert.equal(prompt.model.env, 'dev');
    assert.deepEqual(prompt.locateMetadata('env'), { line: 3, column: 6 });
    assert.equal(edited(prompt, 'workspace', 'w'), '---\rname: x\renv: dev\rworkspace: w\r---\rbody\r');
  });

  it('removing a field from a file without front matter changes nothing', () => {
    const prompt = parseValid('x.prompt.md', 'Just a body\n');
    assert.equal(edited(prompt, 'env', undefined), 'Just a body\n');
  });

  it('fills empty front matter', () => {
    const text = readFixture(REAL_PROMPTS_DIR, 'prompty/prompty-shorthand-empty-frontmatter.prompty');
    const prompt = parseValid('x.prompty', text);
    assert.equal(edited(prompt, 'env', 'prod'), '---\nenv: prod\n---\nsystem:\nYou are a helpful assistant.\n');
    assert.equal(edited(prompt, 'env', undefined), text);
  });

  it('edits a GitHub Models file with no final newline, at the top level only', () => {
    const path = 'github-models/ghm-text-summarizer.prompt.yml';
    const text = readFixture(REAL_PROMPTS_DIR, path);
    const prompt = parseValid(path, text);
    const after = edited(prompt, 'env', 'prod');
    assert.equal(after, `${text}\nenv: prod`);
    assert.equal(prompt.model.env, 'prod');
    // The block scalar before the new line still reads the same.
    assert.equal(prompt.model.messages[1].content.endsWith('</text>\n'), true);
    assert.equal(edited(prompt, 'env', undefined), `${text}\n`);
    const withName = edited(prompt, 'name', 'Renamed');
    assert.equal(withName, `${text.replace('name: Text Summarizer', 'name: Renamed')}\n`);
    assert.equal(prompt.model.name, 'Renamed');
  });

  it('indents a new key like the existing ones and quotes values YAML would misread', () => {
    const ghm = parseValid('x.prompt.yml', '  model: m\n  messages: []\n');
    assert.equal(edited(ghm, 'env', 'a: b'), '  model: m\n  messages: []\n  env: "a: b"\n');
    assert.equal(ghm.model.env, 'a: b');
    assert.equal(edited(ghm, 'env', 'two\nlines'), '  model: m\n  messages: []\n  env: "two\\nlines"\n');
    assert.equal(ghm.model.env, 'two\nlines');
    edited(ghm, 'temperature', 0.5);
    assert.equal(ghm.model.metadata.temperature, 0.5);
    edited(ghm, 'draft', true);
    assert.equal(ghm.model.metadata.draft, true);
    edited(ghm, 'env', '123');
    assert.equal(ghm.model.env, '123', 'a numeric-looking string stays a string');
  });

  it('refuses to edit metadata with YAML errors, leaving the file unchanged', () => {
    const text = '---\nname: [unclosed\nenv: dev\n---\nhi\n';
    const { prompt } = parsePromptFile('x.prompt.md', text);
    assert.ok(prompt);
    assert.throws(() => prompt.setMetadata('env', 'prod'), LocatedError);
    assert.equal(prompt.serialize(), text);
  });

  it('refuses to add to or remove from a flow mapping, but can replace in one', () => {
    const prompt = parseValid('x.prompt.yml', '{env: dev, messages: []}\n');
    assert.throws(() => prompt.setMetadata('workspace', 'w'), LocatedError);
    assert.throws(() => prompt.setMetadata('env', undefined), LocatedError);
    assert.equal(edited(prompt, 'env', 'prod'), '{env: prod, messages: []}\n');
  });
});
