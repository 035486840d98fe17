import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const grammar = JSON.parse(readFileSync(join(ROOT, 'syntaxes', 'promptops-prompt.tmLanguage.json'), 'utf8')) as {
  scopeName: string;
  repository: Record<string, { match?: string; begin?: string; end?: string }>;
};
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { languages: { id: string; extensions: string[] }[]; grammars: { language: string; path: string }[] };
};
// The patterns are plain enough for JS regexes, except Oniguruma's \A (start of document).
const regex = (source: string) => new RegExp(source.replace('\\A', '^'));

describe('the .prompt language and grammar', () => {
  it('is its own language for .prompt only, not VS Code’s `prompt` (.prompt.md)', () => {
    const language = manifest.contributes.languages.find((l) => l.id === 'promptops-prompt');
    assert.deepEqual(language?.extensions, ['.prompt']);
    assert.ok(!manifest.contributes.languages.some((l) => l.id === 'prompt'));
    assert.equal(
      manifest.contributes.grammars.find((g) => g.language === 'promptops-prompt')?.path,
      './syntaxes/promptops-prompt.tmLanguage.json',
    );
  });

  it('finds front matter, chat blocks and variables', () => {
    const { frontMatter, chatTag, variable } = grammar.repository;
    assert.ok(regex(frontMatter.begin!).test('---'));
    assert.ok(regex(frontMatter.end!).test('---'));
    assert.deepEqual(regex(chatTag.match!).exec('<system>')?.[2], 'system');
    assert.deepEqual(regex(chatTag.match!).exec('</assistant>')?.[2], 'assistant');
    assert.equal(regex(chatTag.match!).exec('<div>'), null);
    assert.deepEqual(regex(variable.match!).exec('Hello {{ name }}!')?.[2], 'name');
  });
});
